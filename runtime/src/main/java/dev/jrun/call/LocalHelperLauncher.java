package dev.jrun.call;

import dev.jrun.sys.KnownProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Spawns the helper as this JVM's own child (posix_spawn through ProcessBuilder), with this JVM's stdio. */
public final class LocalHelperLauncher implements HelperLauncher {

    @Override
    public Helper spawn(Path binary, Map<String, String> environment) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(binary.toString()).inheritIO();
        builder.environment().clear();
        builder.environment().putAll(environment);
        return of(builder.start());
    }

    /** A helper this JVM started itself (tests start it with their own stdio). */
    public static Helper of(Process process) {
        return new LocalHelper(process);
    }

    private record LocalHelper(Process process) implements Helper {
        @Override
        public long pid() {
            return process.pid();
        }

        @Override
        public boolean isAlive() {
            return process.isAlive();
        }

        @Override
        public int waitFor() throws InterruptedException {
            return process.waitFor();
        }

        /** The signals this JVM receives go to the helper, which relays them to the init. */
        @Override
        public Forwarding forwardSignals() {
            return SignalRelay.to(KnownProcess.now(process.pid()).orElse(new KnownProcess(process.pid(), -1)));
        }

        @Override
        public int waitForwardingSignals() throws InterruptedException {
            try (Forwarding _ = forwardSignals()) {
                return process.waitFor();
            }
        }

        @Override
        public boolean waitFor(Duration timeout) throws InterruptedException {
            return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int exitValue() {
            return process.exitValue();
        }

        @Override
        public void destroyForcibly() {
            process.destroyForcibly();
        }
    }
}
