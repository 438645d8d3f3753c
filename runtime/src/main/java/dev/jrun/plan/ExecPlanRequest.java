package dev.jrun.plan;

import dev.jrun.spec.model.Process;
import dev.jrun.spec.model.Spec;
import java.util.List;

/**
 * Everything the exec planner needs.
 *
 * @param joins        the container's namespaces that the caller is not in
 * @param spec         the container's spec with the process to run in place of its own, validated
 * @param mode         DETACH for `exec --detach`, FOREGROUND when jrun waits and relays signals
 * @param preservedFds descriptors 3 .. 3+preservedFds-1 of the caller reach the process (--preserve-fds)
 * @param rootless     jrun runs as a user other than root: the process stays dumpable (docs/rootless.md)
 * @param setgroupsDenied the container's user namespace has setgroups "deny": no SETGROUPS step
 * @param consoleSocket where the master of the process's terminal goes (--console-socket with --tty)
 * @param containerId  the container's id and bundle, for the state a seccomp agent is sent with the listener
 * @param initRoot     the init's root as a path jrun can open (/proc/PID/root) when the container shares jrun's mount
 *                     namespace: there is no mount namespace to join, and the process chroots into it; empty otherwise
 */
public record ExecPlanRequest(List<ContainerNamespace> joins, Spec spec, Step.Clone.Mode mode, int preservedFds,
                              boolean rootless, boolean setgroupsDenied, java.util.Optional<java.nio.file.Path> consoleSocket,
                              String containerId, String bundle, java.util.Optional<String> initRoot) {

    /** The process to run. */
    public Process process() {
        return spec.process();
    }


    /**
     * A namespace of the container that the caller is not in.
     *
     * @param type                  the spec's name for its kind (network, mount, …)
     * @param file                  /proc/INIT/ns/KIND
     * @param ownedByContainersUser whether the container's own user namespace owns it (false for one a tool made
     *                              beforehand and the container joined, such as a CNI network namespace)
     */
    public record ContainerNamespace(String type, String file, boolean ownedByContainersUser) {}

    public ExecPlanRequest {
        joins = List.copyOf(joins);
        if (initRoot.isPresent() && joins.stream().anyMatch(j -> j.type().equals("mount"))) {
            throw new IllegalArgumentException("a process joins the container's mount namespace or chroots into the init's root, not both");
        }
        if (preservedFds < 0) {
            throw new IllegalArgumentException("preservedFds is a count, at least 0");
        }
    }
}
