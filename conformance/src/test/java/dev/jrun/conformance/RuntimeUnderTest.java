package dev.jrun.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The runtime the suite checks, driven only through its runc-compatible command line, so that
 * jrun, runc and crun are tested alike. Chosen with -Dconformance.runtime=/abs/path (default:
 * this checkout's bin/jrun). {@code root} is the runtime's state directory (its global
 * {@code --root} option); each test uses its own, so tests never see each other's containers.
 * {@code launcher} is the command that runs the runtime, empty for none ({@link Sandbox} runs it
 * in a throwaway pid namespace with nsenter).
 */
public record RuntimeUnderTest(Path executable, Path root, List<String> launcher) {
    /** No single command of a runtime may take longer than this. */
    static final long CALL_TIMEOUT_SECONDS = 60;

    private static final Map<Path, String> NAMES = new ConcurrentHashMap<>();

    public static RuntimeUnderTest fromSystemProperties() {
        String configured = System.getProperty("conformance.runtime", "");
        Path executable = configured.isBlank() ? repoRoot().resolve("bin/jrun") : Path.of(configured);
        assertTrue(Files.isExecutable(executable), "the runtime under test is not executable: " + executable
                + " (set -Dconformance.runtime=/abs/path/to/runtime)");
        return new RuntimeUnderTest(executable.toAbsolutePath(), null, List.of());
    }

    public RuntimeUnderTest {
        launcher = List.copyOf(launcher);
    }

    /** The same runtime keeping its state in {@code root}. */
    public RuntimeUnderTest withRoot(Path root) {
        return new RuntimeUnderTest(executable, root, launcher);
    }

    /** The same runtime, each command run by this launcher ({@code nsenter ... --}, say). */
    public RuntimeUnderTest launchedBy(List<String> launcher) {
        return new RuntimeUnderTest(executable, root, launcher);
    }

    /**
     * The runtime's name: the first word of {@code --version} ("runc version 1.1.5" → runc), else
     * the executable's file name.
     */
    public String name() {
        return NAMES.computeIfAbsent(executable, e -> {
            try {
                Result version = new RuntimeUnderTest(e, null, List.of()).run("--version");
                String first = version.out().lines().findFirst().orElse("").strip();
                if (version.exitCode() == 0 && first.matches("\\S+ version .*")) {
                    return first.substring(0, first.indexOf(' '));
                }
            } catch (IOException | InterruptedException e1) {
                // fall back to the file name
            }
            return e.getFileName().toString();
        });
    }

    /** Runs the runtime with args and waits for it (bounded); stdin is empty, stdout and stderr are captured. */
    public Result run(String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile("conformance-", ".out");
        Path err = Files.createTempFile("conformance-", ".err");
        try {
            return run(out, err, List.of(args));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /**
     * Runs the runtime with its stdout and stderr going to files, never pipes: a container created
     * with {@code process.terminal: false} inherits the runtime's stdio, so its init holds them open
     * until it exits, and the test reads what the container printed from these files afterwards.
     */
    public Result run(Path stdout, Path stderr, List<String> args) throws IOException, InterruptedException {
        Process process = start(stdout, stderr, args);
        if (!process.waitFor(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", commandLine(args)) + " did not finish in " + CALL_TIMEOUT_SECONDS + " s");
        }
        return new Result(commandLine(args), process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                Files.readString(stderr, StandardCharsets.UTF_8));
    }

    /**
     * Starts the runtime with args, without waiting for it (stdin empty, stdout and stderr to files, as
     * {@link #run(Path, Path, List)}): for a test that acts on the runtime's process while it runs.
     */
    public Process start(Path stdout, Path stderr, List<String> args) throws IOException {
        return new ProcessBuilder(commandLine(args))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
    }

    /** The whole command that runs the runtime with args: the launcher, the executable, --root, args. */
    public List<String> commandLine(List<String> args) {
        List<String> command = new ArrayList<>(launcher);
        command.add(executable.toString());
        if (root != null) {
            command.add("--root");
            command.add(root.toString());
        }
        command.addAll(args);
        return command;
    }

    /** What one command did. */
    public record Result(List<String> command, int exitCode, String out, String err) {
        public boolean succeeded() {
            return exitCode == 0;
        }

        /** For assertion messages: the command, its exit code and its stderr. */
        @Override
        public String toString() {
            return String.join(" ", command) + " → exit " + exitCode + (err.isBlank() ? "" : ", stderr: " + err.strip());
        }
    }

    static Path repoRoot() {
        String configured = System.getProperty("jrun.repo");
        Path start = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
        for (Path at = start.toAbsolutePath().normalize(); at != null; at = at.getParent()) {
            if (Files.isRegularFile(at.resolve("scripts/make-rootfs.sh"))) {
                return at;
            }
        }
        throw new IllegalStateException("cannot find the repository root above " + start);
    }
}
