package dev.jrun.plan;

import static dev.jrun.plan.LinuxConstants.MS_REMOUNT;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The mount points a plan for a container without a mount namespace makes in the runtime's own mount namespace,
 * read off its steps (the one place that decides them), deepest first: the order delete unmounts them in. It also
 * holds the plan to its promise: a mount such a plan would make outside the rootfs is a bug in the planner, thrown
 * here before any helper runs it.
 */
final class HostMounts {
    private HostMounts() {}

    static List<String> of(List<PlannedStep> steps, String rootfs) {
        Set<String> points = new LinkedHashSet<>();
        boolean chrooted = false;
        for (PlannedStep planned : steps) {
            switch (planned.step()) {
                case Step.Chroot _ -> chrooted = true;
                case Step.Mount m -> {
                    String target = chrooted ? inside(rootfs, m.target()) : m.target();
                    requireUnder(rootfs, target, planned);
                    boolean makesAMount = (m.flags() & MS_REMOUNT) == 0 && !(m.source().isEmpty() && m.fstype().isEmpty());
                    if (makesAMount) {
                        points.add(target);
                    }
                }
                case Step.CopyUp c -> points.add(requireUnder(rootfs, c.target(), planned));
                case Step.AttachTree a -> points.add(requireUnder(rootfs, chrooted ? inside(rootfs, a.target()) : a.target(), planned));
                case Step.ConsoleAttach c when c.bindDevConsole() -> points.add(inside(rootfs, "/dev/console"));
                case Step.PivotRoot _, Step.MoveRoot _, Step.MaskPath _, Step.ReadonlyPath _ ->
                        throw new IllegalStateException("a plan without a mount namespace has a " + planned.step().name() + " step");
                default -> { }
            }
        }
        List<String> deepestFirst = new ArrayList<>(points);
        deepestFirst.sort(Comparator.comparingInt((String p) -> Path.of(p).getNameCount()).reversed());
        return deepestFirst;
    }

    /** What a path of the chrooted container is on the host. */
    private static String inside(String rootfs, String containerPath) {
        String normalized = Path.of("/", containerPath).normalize().toString();
        return normalized.equals("/") ? rootfs : rootfs + normalized;
    }

    private static String requireUnder(String rootfs, String target, PlannedStep planned) {
        if (!target.equals(rootfs) && !target.startsWith(rootfs + "/")) {
            throw new IllegalStateException("a plan without a mount namespace would mount on " + target + ", outside the rootfs "
                    + rootfs + " (step " + planned.step().name() + ": " + planned.why() + ")");
        }
        return target;
    }
}
