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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each file in specs/invalid/ is rejected with exactly the problems its ".expected" file lists:
 * severity, line:column, JSON pointer and rule — no more, no fewer.
 */
class InvalidCorpusTest {
    private static final SpecValidator VALIDATOR = new SpecValidator();
    private static final Path CORPUS = Repo.specs().resolve("invalid");

    static Stream<Path> corpus() throws IOException {
        try (Stream<Path> listing = Files.list(CORPUS)) {
            return listing.filter(f -> !f.toString().endsWith(".expected")).sorted().toList().stream();
        }
    }

    @Test
    void everyCorpusFileHasExpectations() throws IOException {
        List<Path> files = corpus().toList();
        assertFalse(files.isEmpty());
        for (Path file : files) {
            assertTrue(Files.exists(expectationsOf(file)), "no expectations for " + file);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void rejectedWithExactlyTheExpectedProblems(Path spec) throws IOException {
        ValidationReport report = VALIDATOR.validate(spec);
        assertFalse(report.isValid(), spec + " was accepted");
        List<String> actual = report.problems().stream().map(InvalidCorpusTest::summary).toList();
        List<String> expected = Files.readAllLines(expectationsOf(spec)).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
        assertEquals(expected, actual, () -> "full report:\n"
                + String.join("\n", report.problems().stream().map(Problem::render).toList()));
        report.problems().forEach(problem -> {
            assertFalse(problem.message().isBlank(), "a problem without a message: " + problem);
            assertEquals(spec.toString(), problem.file(), "problems name the file");
        });
    }

    static String summary(Problem problem) {
        return problem.severity().label() + " " + (problem.position() == null ? "-" : problem.position().toString()) + " "
                + (problem.pointer().isEmpty() ? "(document)" : problem.pointer()) + " " + problem.rule();
    }

    private static Path expectationsOf(Path spec) {
        return spec.resolveSibling(spec.getFileName() + ".expected");
    }
}
