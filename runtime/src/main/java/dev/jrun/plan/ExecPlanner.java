package dev.jrun.plan;

import dev.jrun.sys.Signals;
import java.util.List;

/**
 * `exec` → plan: a new process in a running (or created) container. The helper joins the container's
 * namespaces, forks (a pid or time namespace applies to children only), and the child is placed in the
 * container's cgroups and becomes the process exactly as create's init does ({@link ProcessPlanner}).
 * There is no root to set up: the mount namespace joined is the container's, its root already pivoted; a container
 * without one of its own shares jrun's, and the process chroots into its init's root instead.
 */
public final class ExecPlanner {
    private ExecPlanner() {}

    public static Plan plan(ExecPlanRequest request) throws PlanException {
        StepList steps = new StepList();
        boolean foreground = request.mode() == Step.Clone.Mode.FOREGROUND;
        TerminalPlanner.Destination terminal = TerminalPlanner.destination(request.spec(), request.process(), request.consoleSocket(), foreground);
        TerminalPlanner.connect(steps, terminal);
        // The container's filter applies to every process in it, as runc loads it for exec'd ones too.
        var filter = ProcessPlanner.compileSeccomp(steps, request.spec().linux());
        SeccompSetup seccomp = filter == null ? null
                : SeccompSetup.of(filter, request.spec(), request.containerId(), request.bundle(), "running");
        if (seccomp != null && seccomp.notifies()) {
            steps.from("/linux/seccomp/listenerPath");
            steps.add(Stage.NAMESPACES, Step.Seccomp.connectAgent(request.spec().linux().seccomp().listenerPath()),
                    "connect to the seccomp agent while the path is still the host's");
            steps.from("");
        }
        for (ExecPlanRequest.ContainerNamespace join : joinOrder(request.joins())) {
            steps.add(Stage.JOIN_NAMESPACES, new Step.OpenNamespace(join.file(), CreatePlanner.NAMESPACE_FLAGS.get(join.type())),
                    "the container's " + join.type() + " namespace, opened before any is joined");
        }
        if (!request.joins().isEmpty()) {
            steps.add(Stage.JOIN_NAMESPACES, new Step.EnterNamespaces(), "join the container's namespaces");
        }
        if (foreground) {
            // As for `run`: out of jrun's process group, a terminal's Ctrl-C reaches jrun only, which forwards it once.
            steps.add(Stage.NAMESPACES, new Step.Setsid(), "leave jrun's session and process group: signals reach the helper only through jrun");
        }
        steps.add(Stage.NAMESPACES, new Step.Clone(0, request.mode(), foreground ? Signals.RELAYED_TO_FOREGROUND : List.of()),
                "the process: joined pid and time namespaces take effect for children only");
        steps.add(Stage.NAMESPACES, new Step.Setsid(), "the process leads a session of its own, as the container's init does");
        request.initRoot().ifPresent(root -> steps.add(Stage.ROOTFS, new Step.Chroot(root),
                "the container shares jrun's mount namespace: the process enters the init's root (a chroot), not the host's"));
        steps.add(Stage.CGROUPS, new Step.Sync(SyncPoint.CGROUP), "Java places the process in the container's cgroups");
        TerminalPlanner.attach(steps, request.process(), terminal, false);
        if (request.process().oomScoreAdj() != null) {
            steps.from("/process/oomScoreAdj");
            steps.add(Stage.PROCESS, new Step.WriteFile("/proc/self/oom_score_adj", request.process().oomScoreAdj().toString()),
                    "oomScoreAdj of the exec'd process");
            steps.from("");
        }
        ProcessPlanner.prepare(steps, request.process(), request.spec().linux(), seccomp, request.preservedFds(),
                new ProcessPlanner.Credentials(!request.setgroupsDenied(), request.rootless()));
        // No READY: the sync connection stays open, close-on-exec, so Java reads end of file exactly when execve
        // succeeds, or EXEC's error line first (docs/init-protocol.md).
        ProcessPlanner.exec(steps, request.process(), seccomp, List.of());
        return steps.toPlan();
    }

    /**
     * Joining needs CAP_SYS_ADMIN in the namespace's owning user namespace, which a process has in the container's
     * user namespace once it joined it, and in the host's only before: so the namespaces the container's user
     * namespace does not own come first, then the user namespace, then the rest; mount last of all, since joining it
     * changes the root under which the remaining /proc paths would be looked up.
     */
    static List<ExecPlanRequest.ContainerNamespace> joinOrder(List<ExecPlanRequest.ContainerNamespace> joins) {
        boolean user = joins.stream().anyMatch(j -> j.type().equals("user"));
        java.util.Comparator<ExecPlanRequest.ContainerNamespace> order = java.util.Comparator
                .comparingInt((ExecPlanRequest.ContainerNamespace j) -> j.type().equals("mount") ? 2
                        : !user || j.type().equals("user") || j.ownedByContainersUser() ? 1 : 0)
                .thenComparingInt(j -> j.type().equals("user") ? 0 : 1)
                .thenComparingInt(j -> CreatePlanner.JOIN_ORDER.indexOf(j.type()));
        return joins.stream().sorted(order).toList();
    }
}
