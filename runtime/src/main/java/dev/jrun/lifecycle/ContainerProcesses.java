package dev.jrun.lifecycle;

import dev.jrun.error.JrunException;
import dev.jrun.sys.KnownProcess;
import dev.jrun.sys.NativeException;
import dev.jrun.sys.ProcessTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A container's processes by its pid namespace, for a state that records no cgroups (a rootless create that may make
 * none, docs/rootless.md, or a jrun before cgroup support; a container with cgroups is signalled through them,
 * {@link CgroupMembers}).
 * Found only from what the container provably owns, never guessed: its own pid namespace, where the
 * init is PID 1, so every process in it is the container's. A container that shares a pid namespace
 * (the host's, or one it joined) owns no such proof without a cgroup; then --all is refused rather
 * than risk signalling strangers.
 */
final class ContainerProcesses {
    private final ProcessTable processes;

    ContainerProcesses(ProcessTable processes) {
        this.processes = processes;
    }

    /** The pid namespace the init leads, or empty when the init is not the first process of a namespace of its own. */
    Optional<String> ownPidNamespace(KnownProcess init) {
        var innermost = processes.innermostPid(init.pid());
        Optional<String> namespace = processes.pidNamespaceOf(init.pid());
        if (innermost.isEmpty() || innermost.getAsLong() != 1 || namespace.isEmpty()
                || namespace.get().equals(processes.ownPidNamespace()) || !processes.isAlive(init)) {
            return Optional.empty();
        }
        return namespace;
    }

    /**
     * Signals every process of the container. The init first: with SIGKILL the kernel then ends the
     * whole namespace, and no process can escape by forking while the list is walked.
     *
     * @return how many processes were signalled
     */
    int signalAll(String id, KnownProcess init, int signal) throws JrunException {
        String namespace = ownPidNamespace(init).orElseThrow(() -> new JrunException.InvalidInput(
                "cannot signal every process of container \"" + id + "\": it shares its pid namespace (it has no \"pid\" namespace of its own),"
                        + " and it has no cgroup of its own (it was created rootless by a user who may make none, or by a jrun"
                        + " without cgroup support), so jrun cannot tell"
                        + " the container's processes from others;"
                        + " it signalled nothing. Signal the init alone (kill without --all), or give the container its own"
                        + " pid namespace"));
        int signalled = 0;
        if (send(id, init, signal)) {
            signalled++;
        }
        List<KnownProcess> members = new ArrayList<>();
        for (long pid : processes.pids()) {
            if (pid != init.pid() && namespace.equals(processes.pidNamespaceOf(pid).orElse(null))) {
                processes.process(pid).ifPresent(members::add);
            }
        }
        for (KnownProcess member : members) {
            // The pid may have been reused since the namespace was read: send() goes through a pidfd
            // opened for the recorded start time, and the namespace is checked again first.
            if (namespace.equals(processes.pidNamespaceOf(member.pid()).orElse(null)) && send(id, member, signal)) {
                signalled++;
            }
        }
        return signalled;
    }

    /** The host pids of every process in the init's own pid namespace, ascending; empty when it has none of its own. */
    Optional<List<Long>> pids(KnownProcess init) {
        return ownPidNamespace(init).map(namespace -> processes.pids().stream()
                .filter(pid -> namespace.equals(processes.pidNamespaceOf(pid).orElse(null))).sorted().toList());
    }

    boolean send(String id, KnownProcess process, int signal) throws JrunException {
        try {
            return processes.signal(process, signal);
        } catch (NativeException e) {
            throw new JrunException.SystemFailure("cannot signal pid " + process.pid() + " of container \"" + id + "\": " + e.getMessage(), e);
        }
    }
}
