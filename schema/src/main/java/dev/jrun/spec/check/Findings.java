package dev.jrun.spec.check;

import dev.jrun.spec.problem.Printable;
import dev.jrun.spec.problem.Problem;
import java.util.ArrayList;
import java.util.List;

/** Collects what one check finds, naming the check as the rule. */
public final class Findings {
    private final String rule;
    private final List<Problem> problems = new ArrayList<>();

    public Findings(String checkName) {
        this.rule = "check." + checkName;
    }

    public void error(String pointer, String message, String expected, String found) {
        problems.add(Problem.error(rule, pointer, message, expected, found));
    }

    public void warning(String pointer, String message, String expected, String found) {
        problems.add(Problem.warning(rule, pointer, message, expected, found));
    }

    public List<Problem> problems() {
        return List.copyOf(problems);
    }

    static String quoted(Object value) {
        return value == null ? "nothing" : Printable.quoted(String.valueOf(value));
    }
}
