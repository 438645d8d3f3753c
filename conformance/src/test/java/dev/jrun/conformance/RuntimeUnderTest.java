package dev.jrun.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The runtime the suite checks, driven only through its command line, so that jrun, runc and
 * crun are tested alike. Chosen with -Dconformance.runtime=/abs/path (default: this checkout's bin/jrun).
 */
public final class RuntimeUnderTest {
    private static final long TIMEOUT_SECONDS = 60;

    private final Path executable;

    private RuntimeUnderTest(Path executable) {
        this.executable = executable;
    }

    public static RuntimeUnderTest fromSystemProperties() {
        String configured = System.getProperty("conformance.runtime", "");
        Path executable = configured.isBlank() ? repoRoot().resolve("bin/jrun") : Path.of(configured);
        assertTrue(Files.isExecutable(executable), "the runtime under test is not executable: " + executable
                + " (set -Dconformance.runtime=/abs/path/to/runtime)");
        return new RuntimeUnderTest(executable);
    }

    public Path executable() {
        return executable;
    }

    public String name() {
        return executable.getFileName().toString();
    }

    /** Runs the runtime with args and waits for it (bounded); stdin is empty. */
    public Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(List.of(args));
        Path stderr = Files.createTempFile("conformance-", ".err");
        try {
            Process process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectError(stderr.toFile())
                    .start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            return new Result(process.exitValue(), out, Files.readString(stderr));
        } finally {
            Files.deleteIfExists(stderr);
        }
    }

    public record Result(int exitCode, String out, String err) {}

    static Path repoRoot() {
        String configured = System.getProperty("jrun.repo");
        Path start = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
        for (Path at = start.toAbsolutePath().normalize(); at != null; at = at.getParent()) {
            if (Files.isRegularFile(at.resolve("bin/jrun")) || Files.isDirectory(at.resolve("specs"))) {
                return at;
            }
        }
        throw new IllegalStateException("cannot find the repository root above " + start);
    }
}
