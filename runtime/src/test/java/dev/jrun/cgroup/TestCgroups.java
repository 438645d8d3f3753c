package dev.jrun.cgroup;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/** What the cgroup integration tests make and end: cgroups of a random name, and children of their own. */
final class TestCgroups {
    static final Duration LONG = Duration.ofSeconds(30);

    private TestCgroups() {}

    /** A name no other test and no other cgroup on the host uses. */
    static String randomName() {
        return "jrun-test-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }

    /** A child of the test's own that lives until {@link #end} ends it. */
    static Process sleeper() throws IOException {
        return new ProcessBuilder("sleep", "1000").redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** Kills and reaps child, by the Process object: its exact pid, never a name. */
    static void end(Process child) throws InterruptedException {
        if (child != null) {
            child.destroyForcibly();
            child.waitFor(LONG.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /** Removes a cgroup directory if it is there; a process that has just exited may hold it (EBUSY) a moment longer. */
    static void rmdirWhenFree(Path directory) {
        await().pollDelay(Duration.ZERO).atMost(LONG).ignoreExceptionsInstanceOf(FileSystemException.class).until(() -> {
            Files.deleteIfExists(directory);
            return true;
        });
    }
}
