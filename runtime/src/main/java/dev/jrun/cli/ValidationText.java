package dev.jrun.cli;

import dev.jrun.spec.problem.Problem;
import dev.jrun.spec.validation.ValidationReport;
import java.io.PrintWriter;

/** The human form of a validation report: one line per problem, then a verdict line. */
final class ValidationText {
    private ValidationText() {}

    static void render(ValidationReport report, boolean quiet, PrintWriter out) {
        for (Problem problem : report.problems()) {
            out.println(problem.render());
        }
        int errors = report.errors().size();
        int warnings = report.warnings().size();
        if (report.isValid()) {
            if (!quiet) {
                out.println(report.file() + ": valid" + (warnings == 0 ? "" : " (" + plural(warnings, "warning") + ")"));
            }
        } else {
            out.println(report.file() + ": invalid: " + plural(errors, "error")
                    + (warnings == 0 ? "" : ", " + plural(warnings, "warning")));
        }
    }

    private static String plural(int count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }
}
