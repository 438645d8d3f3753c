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

/**
 * `kill`: sends a signal to the container's init, or with --all to every process the container
 * provably owns ({@link ContainerProcesses}). Every signal goes through a pidfd checked against the
 * recorded start time: a pid the container no longer holds is never signalled.
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
            Status status = probe.statusOf(state);
            if (!Verb.KILL.allows(status)) {
                throw new JrunException.IncorrectStatus(id, Verb.KILL, status);
            }
            KnownProcess init = probe.initOf(state).orElseThrow(() -> new JrunException.IncorrectStatus(id, Verb.KILL, Status.STOPPED));
            var container = new ContainerProcesses(processes);
            if (all) {
                container.signalAll(id, init, signal);
            } else {
                container.send(id, init, signal);
            }
        }
    }
}
