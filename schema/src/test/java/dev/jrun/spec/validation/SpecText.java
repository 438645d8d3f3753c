package dev.jrun.spec.validation;

import dev.jrun.spec.problem.Problem;
import dev.jrun.spec.source.SourceDocument;
import dev.jrun.spec.source.SpecFormat;
import dev.jrun.spec.source.SpecReadException;
import dev.jrun.spec.source.SpecReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Validates a spec written inline in a test, in a bundle that has a rootfs directory, as `jrun validate` would. */
public final class SpecText {
    private static final SpecValidator VALIDATOR = new SpecValidator();

    private SpecText() {}

    public static ValidationReport validateYaml(Path bundle, String yaml) {
        return validate(bundle, SpecFormat.YAML, "config.yaml", yaml);
    }

    public static ValidationReport validateJson(Path bundle, String json) {
        return validate(bundle, SpecFormat.JSON, "config.json", json);
    }

    private static ValidationReport validate(Path bundle, SpecFormat format, String name, String text) {
        try {
            Files.createDirectories(bundle.resolve("rootfs"));
            Path file = bundle.resolve(name);
            SourceDocument document = new SpecReader().parse(file, file.toString(), format, text);
            return VALIDATOR.validate(document, bundle);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SpecReadException e) {
            throw new AssertionError("the test's spec does not parse: " + e.problem().render(), e);
        }
    }

    /** "rule pointer" of each error, for compact assertions. */
    public static List<String> errors(ValidationReport report) {
        return report.errors().stream().map(p -> p.rule() + " " + p.pointer()).toList();
    }

    public static String render(ValidationReport report) {
        return String.join("\n", report.problems().stream().map(Problem::render).toList());
    }
}
