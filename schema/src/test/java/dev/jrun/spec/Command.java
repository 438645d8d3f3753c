package dev.jrun.spec;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An external command a test runs to completion, with a timeout that always fires. A cut-down copy
 * of the runtime module's dev.jrun.testing.Command (read that one for the reasons): the runtime
 * depends on this module, never the reverse, so this module's tests cannot use the runtime's.
 * stdout and stderr go to temporary files, not pipes, so that nothing read to its end can keep the
 * wait, and with it the timeout, from being reached.
 */
public final class Command {
    private final List<String> command;
    private final Path directory;

    private Command(List<String> command, Path directory) {
        this.command = List.copyOf(command);
        this.directory = directory;
    }

    public static Command of(String... command) {
        return new Command(List.of(command), null);
    }

    /** The same command run in directory. */
    public Command in(Path directory) {
        return new Command(command, directory);
    }

    /**
     * Runs the command and returns its stdout; fails, with everything it wrote, unless it exits 0
     * within timeout (after which it is killed).
     */
    public String check(Duration timeout) throws IOException, InterruptedException {
        Path out = Files.createTempFile("jrun-test-", ".out");
        Path err = Files.createTempFile("jrun-test-", ".err");
        try {
            Process process = new ProcessBuilder(command).directory(directory == null ? null : directory.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    // Bounded: a process stuck in the kernel cannot be reaped until it returns.
                    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                    throw new AssertionError(this + " did not finish in " + timeout.toSeconds() + " s and was killed" + transcript(out, err));
                }
                if (process.exitValue() != 0) {
                    throw new AssertionError(this + " failed: exit " + process.exitValue() + transcript(out, err));
                }
                return read(out);
            } finally {
                // Only when the wait above was interrupted: the command must not outlive the test.
                if (process.isAlive()) {
                    process.destroyForcibly();
                }
            }
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Override
    public String toString() {
        return String.join(" ", command);
    }

    private static String transcript(Path out, Path err) throws IOException {
        return "\n--- stdout:\n" + read(out) + "\n--- stderr:\n" + read(err);
    }

    /** Lenient decoding: output that is not valid UTF-8 must not turn into a decoding error of its own. */
    private static String read(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }
}
