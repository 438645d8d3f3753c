package dev.jrun.spec.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jrun.spec.Command;
import dev.jrun.spec.Repo;
import dev.jrun.spec.problem.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every config.json that `runc spec` writes is a valid jrun spec. specs/runc-spec.json is what
 * runc 1.1 writes; where runc is installed, the test regenerates it and checks it is unchanged,
 * so the shipped copy cannot drift from the real thing.
 */
class RuncSpecTest {
    private static final SpecValidator VALIDATOR = new SpecValidator();

    @Test
    void shippedRuncSpecIsValid() {
        ValidationReport report = VALIDATOR.validate(Repo.specs().resolve("runc-spec.json"));
        assertTrue(report.isValid(), () -> render(report));
    }

    @Test
    void freshRuncSpecMatchesShippedCopy(@TempDir Path bundle) throws Exception {
        Path runc = runc();
        runInto(bundle, runc.toString(), "spec");
        ObjectMapper json = new ObjectMapper();
        assertEquals(json.readTree(Repo.specs().resolve("runc-spec.json").toFile()), json.readTree(bundle.resolve("config.json").toFile()),
                "runc spec now writes something else: replace specs/runc-spec.json with its output");
        Files.createDirectory(bundle.resolve("rootfs"));
        ValidationReport report = VALIDATOR.validate(bundle.resolve("config.json"));
        assertTrue(report.isValid(), () -> render(report));
    }

    @Test
    void freshRootlessRuncSpecIsValid(@TempDir Path bundle) throws Exception {
        Path runc = runc();
        runInto(bundle, runc.toString(), "spec", "--rootless");
        Files.createDirectory(bundle.resolve("rootfs"));
        ValidationReport report = VALIDATOR.validate(bundle.resolve("config.json"));
        assertTrue(report.isValid(), () -> render(report));
        assertEquals(List.of(), report.warnings());
    }

    private static Path runc() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/usr/sbin").split(":")) {
            Path candidate = Path.of(dir, "runc");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        assumeTrue(false, "runc is not installed (apt-get install runc); the shipped copy is still checked");
        return null;
    }

    private static void runInto(Path dir, String... command) throws IOException, InterruptedException {
        Command.of(command).in(dir).check(Duration.ofSeconds(30));
    }

    private static String render(ValidationReport report) {
        return String.join("\n", report.problems().stream().map(Problem::render).toList());
    }
}
