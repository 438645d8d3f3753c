package dev.jrun.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An external command a test runs to completion, with a timeout that always fires:
 * {@code Command.of("ip", "netns", "add", name).check(Duration.ofSeconds(30))}.
 *
 * <p>stdout and stderr go to temporary files, never pipes, and the test only waits for the process.
 * Reading a pipe to its end before waiting would let a hung command (or a child that inherited the
 * pipe, such as a container's init started by {@code jrun create}) block the test for ever, with the
 * timeout never reached. stdin is /dev/null unless {@link #withInput} names a file, so a command that reads it ends instead of waiting.
 */
public final class Command {
    /** How long a killed command may take to be reaped before the test gives up on it. */
    private static final Duration KILL_WAIT = Duration.ofSeconds(30);

    private final List<String> command;
    private final Path directory;
    private final Map<String, String> environment;
    private final Path input;

    private Command(List<String> command, Path directory, Map<String, String> environment, Path input) {
        this.command = List.copyOf(command);
        this.directory = directory;
        this.environment = Map.copyOf(environment);
        this.input = input;
    }

    /** What the command did: its exit code and everything it wrote to stdout and stderr. */
    public record Result(int code, String out, String err) {
        /** Everything, for assertion messages. */
        public String transcript() {
            return "exit " + code + "\n--- stdout:\n" + out + "\n--- stderr:\n" + err;
        }
    }

    /** The command did not end within its timeout; it has been killed. */
    public static final class TimedOut extends AssertionError {
        TimedOut(String message) {
            super(message);
        }
    }

    public static Command of(String... command) {
        return of(List.of(command));
    }

    public static Command of(List<String> command) {
        return new Command(command, null, Map.of(), null);
    }

    /** The same command run in directory (null: the test's own working directory). */
    public Command in(Path directory) {
        return new Command(command, directory, environment, input);
    }

    /** The same command reading file as its stdin (null: /dev/null). */
    public Command withInput(Path file) {
        return new Command(command, directory, environment, file);
    }

    /** The same command with these variables added to (or replacing some of) the test's environment. */
    public Command withEnv(Map<String, String> variables) {
        Map<String, String> merged = new LinkedHashMap<>(environment);
        merged.putAll(variables);
        return new Command(command, directory, merged, input);
    }

    /**
     * Runs the command and returns what it did, whatever its exit code. Throws {@link TimedOut} (an
     * AssertionError naming the command, the timeout and what it wrote so far) when it has not ended
     * within timeout, after killing it.
     */
    public Result run(Duration timeout) throws IOException, InterruptedException {
        Path out = Files.createTempFile("jrun-test-", ".out");
        Path err = Files.createTempFile("jrun-test-", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(directory == null ? null : directory.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(input == null ? new File("/dev/null") : input.toFile()));
            builder.environment().putAll(environment);
            Process process = builder.start();
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    // SIGKILL, then reap it, so that no test leaves a hung command behind; bounded, since a
                    // process stuck in the kernel (uninterruptible sleep) cannot be reaped until it returns.
                    process.destroyForcibly();
                    boolean reaped = process.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                    throw new TimedOut(this + " did not finish in " + seconds(timeout) + " and was killed"
                            + (reaped ? "" : " (and had still not ended " + seconds(KILL_WAIT) + " later)")
                            + "\n--- stdout so far:\n" + read(out) + "\n--- stderr so far:\n" + read(err));
                }
                return new Result(process.exitValue(), read(out), read(err));
            } finally {
                // Only when the wait above was interrupted: the test is over, the command must not outlive it.
                if (process.isAlive()) {
                    process.destroyForcibly();
                }
            }
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Runs the command and returns its stdout; fails, with everything it wrote, unless it exits 0. */
    public String check(Duration timeout) throws IOException, InterruptedException {
        Result result = run(timeout);
        if (result.code() != 0) {
            throw new AssertionError(this + " failed: " + result.transcript());
        }
        return result.out();
    }

    /** The command line, as assertion messages name it. */
    @Override
    public String toString() {
        return String.join(" ", command);
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    /** Lenient decoding: output that is not valid UTF-8 must not turn into a decoding error of its own. */
    private static String read(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }
}
