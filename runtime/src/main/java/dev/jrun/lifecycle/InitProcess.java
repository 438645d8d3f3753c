package dev.jrun.lifecycle;

import dev.jrun.error.JrunException;
import dev.jrun.sys.KnownProcess;
import dev.jrun.sys.NativeException;
import dev.jrun.sys.ProcessTable;
import dev.jrun.sys.Signals;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** Ends a container's init for good: SIGKILL through a pidfd, then wait until that very process is gone. */
final class InitProcess {
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);

    private InitProcess() {}

    static void killAndWait(ProcessTable processes, String id, KnownProcess init) throws JrunException {
        try {
            processes.signal(init, Signals.SIGKILL);
        } catch (NativeException e) {
            throw new JrunException.SystemFailure("cannot kill the init (pid " + init.pid() + ") of \"" + id + "\": " + e.getMessage(), e);
        }
        // Not our child, so there is nothing to wait(2) on: watch its /proc entry go away.
        long deadline = System.nanoTime() + KILL_TIMEOUT.toNanos();
        long pauseNanos = 100_000;
        while (processes.isAlive(init)) {
            if (System.nanoTime() > deadline) {
                throw new JrunException.SystemFailure("the init (pid " + init.pid() + ") of \"" + id
                        + "\" survived SIGKILL for " + KILL_TIMEOUT.toSeconds() + " s (stuck in the kernel?)", null);
            }
            LockSupport.parkNanos(pauseNanos);
            pauseNanos = Math.min(pauseNanos * 2, 10_000_000);
        }
    }
}
