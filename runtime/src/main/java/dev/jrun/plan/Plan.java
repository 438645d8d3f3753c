package dev.jrun.plan;

import java.util.List;

/**
 * The ordered steps jrun-init executes for one container, the warnings create prints about them (a setting the host
 * cannot apply where runc tolerates that, say an AppArmor profile without AppArmor), and notes for --debug only
 * (what was left out because it does not exist here, say a seccomp rule's syscall that no architecture of the
 * filter has: runc logs that at debug level too, and the filter is exact without it).
 */
public record Plan(List<PlannedStep> steps, List<String> warnings, List<String> notes) {
    public Plan {
        steps = List.copyOf(steps);
        warnings = List.copyOf(warnings);
        notes = List.copyOf(notes);
    }

    public Plan(List<PlannedStep> steps) {
        this(steps, List.of(), List.of());
    }

    public PlannedStep at(int index) {
        return steps.get(index);
    }
}
