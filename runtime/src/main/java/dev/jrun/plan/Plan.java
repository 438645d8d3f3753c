package dev.jrun.plan;

import java.util.List;

/** The ordered steps jrun-init executes for one container. */
public record Plan(List<PlannedStep> steps) {
    public Plan {
        steps = List.copyOf(steps);
    }

    public PlannedStep at(int index) {
        return steps.get(index);
    }
}
