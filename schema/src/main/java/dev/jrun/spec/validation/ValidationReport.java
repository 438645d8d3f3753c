package dev.jrun.spec.validation;

import dev.jrun.spec.model.Spec;
import dev.jrun.spec.problem.Problem;
import java.util.List;

/**
 * The outcome of validating one spec file.
 *
 * @param file       the file as the user named it
 * @param spec       the typed spec, or null when the file could not be read, parsed or bound
 * @param problems   every error and warning, in file order where positions are known
 * @param unreadable true when the file itself could not be read (missing, directory, too large)
 */
public record ValidationReport(String file, Spec spec, List<Problem> problems, boolean unreadable) {

    public ValidationReport {
        problems = List.copyOf(problems);
    }

    public boolean isValid() {
        return !unreadable && spec != null && problems.stream().noneMatch(Problem::isError);
    }

    public List<Problem> errors() {
        return problems.stream().filter(Problem::isError).toList();
    }

    public List<Problem> warnings() {
        return problems.stream().filter(p -> !p.isError()).toList();
    }
}
