package dev.jrun.plan;

import dev.jrun.cgroup.ContainerCgroup;
import dev.jrun.spec.model.Spec;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything the planner needs besides the spec.
 *
 * @param bundle            the bundle directory; root.path and relative bind sources are relative to it
 * @param startSocket       where the init listens for `jrun start`
 * @param noPivot           use MS_MOVE + chroot instead of pivot_root (`--no-pivot`)
 * @param mode              DETACH for create, FOREGROUND for run
 * @param rootfsLockedFlags mount flags of the host mount holding the rootfs (nosuid, nodev, ...), which a
 *                          remount inside a user namespace must keep or the kernel refuses it
 * @param cgroups           the container's cgroup in each hierarchy, which its `type: cgroup` mounts show
 * @param hostHasKcore      whether the host has /proc/kcore, which the standard /dev/core link points to
 * @param rootless          whether jrun runs as a user other than root (docs/rootless.md): the init then stays dumpable
 *                          after its credentials change, or that user could not read its /proc/PID/exe, which tells
 *                          created from running
 * @param setgroupsDenied   whether the new user namespace's setgroups is "deny" (an unprivileged user wrote its gid map
 *                          alone): setgroups(2) then fails even with an empty list, so the process keeps the groups it has
 */
public record PlanRequest(Spec spec, Path bundle, Path startSocket, boolean noPivot, Step.Clone.Mode mode, long rootfsLockedFlags,
                          List<ContainerCgroup> cgroups, boolean hostHasKcore, boolean rootless, boolean setgroupsDenied) {
    public PlanRequest {
        cgroups = List.copyOf(cgroups);
    }

    /** A request of root's: its user namespace, if any, allows setgroups. */
    public PlanRequest(Spec spec, Path bundle, Path startSocket, boolean noPivot, Step.Clone.Mode mode, long rootfsLockedFlags,
                       List<ContainerCgroup> cgroups, boolean hostHasKcore) {
        this(spec, bundle, startSocket, noPivot, mode, rootfsLockedFlags, cgroups, hostHasKcore, false, false);
    }
}
