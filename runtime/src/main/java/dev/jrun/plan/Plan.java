package dev.jrun.plan;

import java.util.List;

/**
 * The ordered steps jrun-init executes for one container, the warnings create prints about them (a setting the host
 * cannot apply where runc tolerates that, say an AppArmor profile without AppArmor), and notes for --debug only
 * (what was left out because it does not exist here, say a seccomp rule's syscall that no architecture of the
 * filter has: runc logs that at debug level too, and the filter is exact without it).
 *
 * <p>{@code hostMounts} are the mount points the plan makes in the runtime's own mount namespace, deepest first:
 * empty unless the container has no mount namespace of its own, when create records them in the container's state
 * and delete (or a failed create) unmounts exactly these (docs/spec.md, "Without a mount namespace").
 */
public record Plan(List<PlannedStep> steps, List<String> warnings, List<String> notes, List<String> hostMounts) {
    public Plan {
        steps = List.copyOf(steps);
        warnings = List.copyOf(warnings);
        notes = List.copyOf(notes);
        hostMounts = List.copyOf(hostMounts);
    }

    public Plan(List<PlannedStep> steps, List<String> warnings, List<String> notes) {
        this(steps, warnings, notes, List.of());
    }

    public Plan(List<PlannedStep> steps) {
        this(steps, List.of(), List.of());
    }

    public PlannedStep at(int index) {
        return steps.get(index);
    }
}
