package dev.jrun.tooling;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs a command to its end and keeps its exit code, stdout and stderr. Output goes to files, not
 * pipes: `podman run -d` and `ctr run -d` leave conmon or a shim behind, and a child that inherits
 * a pipe would keep the reader waiting for an end of file that never comes.
 */
final class Exec {
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private Exec() {}

    record Result(List<String> command, int exit, String out, String err) {
        /** For assertion messages: the command and everything it said. */
        String describe() {
            return String.join(" ", command) + "\n  exit " + exit + "\n  stdout: " + out + "\n  stderr: " + err;
        }

        Result ok() {
            if (exit != 0) {
                throw new AssertionError("command failed: " + describe());
            }
            return this;
        }
    }

    static Result run(Map<String, String> env, List<String> command) {
        return run(env, TIMEOUT, command);
    }

    static Result run(Map<String, String> env, Duration timeout, List<String> command) {
        try {
            Path out = Files.createTempFile("jrun-tooling-", ".out");
            Path err = Files.createTempFile("jrun-tooling-", ".err");
            try {
                ProcessBuilder builder = new ProcessBuilder(command)
                        .redirectInput(new File("/dev/null"))
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile());
                builder.environment().putAll(env);
                Process process = builder.start();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError("timed out after " + timeout.toSeconds() + " s: " + String.join(" ", command)
                            + "\n  stdout: " + Files.readString(out) + "\n  stderr: " + Files.readString(err));
                }
                return new Result(List.copyOf(command), process.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An executable of this name on PATH. */
    static Optional<Path> onPath(String name) {
        return Stream.of(System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":"))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, name))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
