package dev.jrun.plan;

import java.util.List;

/**
 * The ordered steps jrun-init executes for one container, and the warnings create prints about them (a setting
 * applied only in part, say a seccomp rule naming a syscall no architecture has).
 */
public record Plan(List<PlannedStep> steps, List<String> warnings) {
    public Plan {
        steps = List.copyOf(steps);
        warnings = List.copyOf(warnings);
    }

    public Plan(List<PlannedStep> steps) {
        this(steps, List.of());
    }

    public PlannedStep at(int index) {
        return steps.get(index);
    }
}
