package dev.jrun.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jrun.spec.problem.Problem;
import dev.jrun.spec.validation.ValidationReport;
import java.util.List;

/**
 * The tooling form of validation reports (docs/cli.md documents the shape):
 * {"valid": bool, "files": [{"file", "valid", "problems": [{"severity", "rule", "line", "column", "pointer", "message", "expected", "found"}]}]}
 */
final class ValidationJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ValidationJson() {}

    static String render(List<ValidationReport> reports) {
        ObjectNode root = NODES.objectNode();
        root.put("valid", reports.stream().allMatch(ValidationReport::isValid));
        ArrayNode files = root.putArray("files");
        for (ValidationReport report : reports) {
            ObjectNode file = files.addObject();
            file.put("file", report.file());
            file.put("valid", report.isValid());
            ArrayNode problems = file.putArray("problems");
            report.problems().forEach(problem -> problems.add(problem(problem)));
        }
        return root.toPrettyString();
    }

    private static ObjectNode problem(Problem problem) {
        ObjectNode node = NODES.objectNode();
        node.put("severity", problem.severity().label());
        node.put("rule", problem.rule());
        if (problem.position() != null) {
            node.put("line", problem.position().line());
            node.put("column", problem.position().column());
        } else {
            node.putNull("line");
            node.putNull("column");
        }
        node.put("pointer", problem.pointer());
        node.put("message", problem.message());
        node.put("expected", problem.expected());
        node.put("found", problem.found());
        return node;
    }
}
