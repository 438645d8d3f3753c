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
 */
public record PlanRequest(Spec spec, Path bundle, Path startSocket, boolean noPivot, Step.Clone.Mode mode, long rootfsLockedFlags,
                          List<ContainerCgroup> cgroups, boolean hostHasKcore) {
    public PlanRequest {
        cgroups = List.copyOf(cgroups);
    }

    /** The container's id: the name of its state directory, which holds the start socket (StateStore's layout). */
    public String containerId() {
        return startSocket.getParent().getFileName().toString();
    }
}
