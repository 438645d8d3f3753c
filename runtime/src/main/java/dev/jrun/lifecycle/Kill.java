package dev.jrun.lifecycle;

import dev.jrun.error.JrunException;
import dev.jrun.state.ContainerLock;
import dev.jrun.state.ContainerState;
import dev.jrun.state.StateStore;
import dev.jrun.status.Status;
import dev.jrun.status.Verb;
import dev.jrun.state.StatusProbe;
import dev.jrun.sys.KnownProcess;
import dev.jrun.sys.ProcessTable;
import dev.jrun.sys.Signals;
import java.util.Optional;

/**
 * `kill`: sends a signal to the container's init, or with --all to every process the container
 * provably owns: the members of its cgroups ({@link CgroupMembers}), or for a state without cgroups
 * (an older build's) the processes of its own pid namespace ({@link ContainerProcesses}). Every signal
 * goes through a pidfd checked against the recorded start time: a pid the container no longer holds
 * is never signalled.
 *
 * <p>A paused container takes signals as runc's does: SIGKILL ends it (its cgroup is thawed after the
 * signal, since a process frozen by the v1 freezer does not die until then), any other signal waits,
 * pending, until `resume`.
 */
public final class Kill {
    private final StateStore store;
    private final ProcessTable processes;

    public Kill(StateStore store, ProcessTable processes) {
        this.store = store;
        this.processes = processes;
    }

    public void kill(String id, int signal, boolean all) throws JrunException {
        try (ContainerLock _ = store.lock(id)) {
            ContainerState state = store.read(id);
            StatusProbe probe = new StatusProbe(processes);
            Status status = probe.require(state, Verb.KILL);
            KnownProcess init = probe.initOf(state).orElseThrow(() -> new JrunException.IncorrectStatus(id, Verb.KILL, Status.STOPPED));
            var container = new ContainerProcesses(processes);
            Optional<CgroupMembers> members = CgroupMembers.of(state, processes);
            if (all && members.isPresent()) {
                members.get().signalAll(signal);
            } else if (all) {
                container.signalAll(id, init, signal);
            } else {
                container.send(id, init, signal);
                if (signal == Signals.SIGKILL && status == Status.PAUSED && members.isPresent()) {
                    members.get().thaw();
                }
            }
        }
    }
}
