package dev.jrun.spec.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.spec.Repo;
import dev.jrun.spec.problem.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every example in specs/ is valid and draws no warning: they are what users copy from. */
class ExampleSpecsTest {
    private static final SpecValidator VALIDATOR = new SpecValidator();

    static Stream<Path> examples() throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(Repo.specs())) {
            files = listing.filter(f -> f.toString().matches(".*\\.(ya?ml|json)$")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "specs/ holds no examples");
        return files.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void exampleIsValidWithoutWarnings(Path spec) {
        ValidationReport report = VALIDATOR.validate(spec);
        String problems = String.join("\n", report.problems().stream().map(Problem::render).toList());
        assertTrue(report.isValid(), "expected valid, got:\n" + problems);
        assertEquals(List.of(), report.warnings(), problems);
    }
}
