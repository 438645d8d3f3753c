package dev.jrun.plan;

import dev.jrun.cgroup.ContainerCgroup;
import dev.jrun.spec.model.Spec;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

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
 * @param extras            what the command line adds to the spec's process
 * @param consoleSocket     --console-socket: where the master of the process's terminal goes (process.terminal)
 */
public record PlanRequest(Spec spec, Path bundle, Path startSocket, boolean noPivot, Step.Clone.Mode mode, long rootfsLockedFlags,
                          List<ContainerCgroup> cgroups, boolean hostHasKcore, boolean rootless, boolean setgroupsDenied,
                          ProcessExtras extras, Optional<Path> consoleSocket) {
    public PlanRequest {
        cgroups = List.copyOf(cgroups);
    }

    /** The container's id: the name of its state directory, which holds the start socket (StateStore's layout). */
    public String containerId() {
        return startSocket.getParent().getFileName().toString();
    }

    /** A request of root's (its user namespace, if any, allows setgroups), with nothing added to the spec's process. */
    public PlanRequest(Spec spec, Path bundle, Path startSocket, boolean noPivot, Step.Clone.Mode mode, long rootfsLockedFlags,
                       List<ContainerCgroup> cgroups, boolean hostHasKcore) {
        this(spec, bundle, startSocket, noPivot, mode, rootfsLockedFlags, cgroups, hostHasKcore, Optional.empty());
    }

    /** A request of root's with nothing added to the spec's process but a console socket. */
    public PlanRequest(Spec spec, Path bundle, Path startSocket, boolean noPivot, Step.Clone.Mode mode, long rootfsLockedFlags,
                       List<ContainerCgroup> cgroups, boolean hostHasKcore, Optional<Path> consoleSocket) {
        this(spec, bundle, startSocket, noPivot, mode, rootfsLockedFlags, cgroups, hostHasKcore, false, false, ProcessExtras.NONE,
                consoleSocket);
    }

    /**
     * What create's command line and caller add to the spec's process, as runc does.
     *
     * @param preservedFds   the caller's descriptors 3 .. 3+preservedFds-1 reach the process (LISTEN_FDS, --preserve-fds)
     * @param extraEnv       appended to process.env (LISTEN_FDS=N, LISTEN_PID=1 under socket activation)
     * @param sessionKeyring the name of the new session keyring the init joins, or null (--no-new-keyring)
     */
    public record ProcessExtras(int preservedFds, List<String> extraEnv, String sessionKeyring) {
        public static final ProcessExtras NONE = new ProcessExtras(0, List.of(), null);

        public ProcessExtras {
            extraEnv = List.copyOf(extraEnv);
        }
    }
}
