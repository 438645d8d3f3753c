package dev.jrun.spec.validation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import dev.jrun.spec.check.CheckContext;
import dev.jrun.spec.check.HostView;
import dev.jrun.spec.check.SemanticChecks;
import dev.jrun.spec.model.Spec;
import dev.jrun.spec.problem.Position;
import dev.jrun.spec.problem.Problem;
import dev.jrun.spec.schema.KeyTypoDetector;
import dev.jrun.spec.schema.NulCharacterRule;
import dev.jrun.spec.schema.SchemaValidator;
import dev.jrun.spec.source.SourceDocument;
import dev.jrun.spec.source.SpecReadException;
import dev.jrun.spec.source.SpecReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The spec pipeline: read (YAML or JSON, with positions) → JSON Schema → typo warnings →
 * bind to records → semantic checks. Every stage reports all it finds; semantic checks run
 * only on a schema-valid document, because they need well-typed values.
 */
public final class SpecValidator {
    private final SpecReader reader = new SpecReader();
    private final SchemaValidator schema = SchemaValidator.load();
    private final KeyTypoDetector typos = KeyTypoDetector.load();
    private final NulCharacterRule nul = new NulCharacterRule();
    private final SpecBinder binder = new SpecBinder();
    private final HostView host = new HostView();

    /** Validates a spec file; relative paths in it (root.path, bind sources) are resolved against its directory. */
    public ValidationReport validate(Path file) {
        Path bundle = file.toAbsolutePath().getParent();
        return validate(file, bundle == null ? Path.of("/") : bundle);
    }

    public ValidationReport validate(Path file, Path bundle) {
        String name = file.toString();
        SourceDocument document;
        try {
            document = reader.read(file);
        } catch (SpecReadException e) {
            return new ValidationReport(name, null, List.of(e.problem()), e.unreadable());
        }
        return validate(document, bundle);
    }

    public ValidationReport validate(SourceDocument document, Path bundle) {
        List<Problem> problems = new ArrayList<>(schema.validate(document));
        problems.addAll(typos.detect(document));
        problems.addAll(nul.check(document));
        Spec spec = null;
        if (problems.stream().noneMatch(Problem::isError)) {
            try {
                spec = binder.bind(document.tree());
                problems.addAll(SemanticChecks.run(spec, new CheckContext(bundle, host)));
            } catch (JsonProcessingException e) {
                problems.add(bindingProblem(e));
            }
        }
        List<Problem> located = problems.stream().map(p -> locate(p, document)).sorted(FILE_ORDER).toList();
        return new ValidationReport(document.displayName(), spec, located, false);
    }

    /** The schema should make binding always succeed; if it does not, say where rather than fail. */
    private static Problem bindingProblem(JsonProcessingException e) {
        String pointer = "";
        if (e instanceof JsonMappingException mapping) {
            var path = new StringBuilder();
            for (var ref : mapping.getPath()) {
                path.append('/').append(ref.getFieldName() != null ? ref.getFieldName() : String.valueOf(ref.getIndex()));
            }
            pointer = path.toString();
        }
        return Problem.error("bind", pointer, "value cannot be read into the spec model: " + e.getOriginalMessage(), null, null);
    }

    /**
     * Unknown-key problems point at the key; everything else at the value (or its nearest present ancestor).
     * A problem that comes located (the nul rule's, which may be about a key or a value) keeps its place.
     */
    private static Problem locate(Problem problem, SourceDocument document) {
        if (problem.position() != null) {
            return problem;
        }
        boolean aboutKey = problem.rule().equals("typo") || problem.rule().equals("schema.additionalProperties");
        Position at = aboutKey ? document.keyPositionOf(problem.pointer()) : document.positionOf(problem.pointer());
        return problem.locatedAt(document.displayName(), at);
    }

    private static final Comparator<Problem> FILE_ORDER = Comparator
            .comparing((Problem p) -> p.position() == null ? Integer.MAX_VALUE : p.position().line())
            .thenComparing(p -> p.position() == null ? Integer.MAX_VALUE : p.position().column())
            .thenComparing(Problem::pointer);
}
