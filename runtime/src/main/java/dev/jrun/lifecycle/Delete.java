package dev.jrun.lifecycle;

import dev.jrun.error.JrunException;
import dev.jrun.state.ContainerLock;
import dev.jrun.state.ContainerState;
import dev.jrun.state.StateStore;
import dev.jrun.state.Status;
import dev.jrun.state.StatusProbe;

/** `delete`: removes what create made; refuses a live container unless --force, which kills it first. */
public final class Delete {
    private final StateStore store;

    public Delete(StateStore store) {
        this.store = store;
    }

    public void delete(String id, boolean force) throws JrunException {
        try (ContainerLock _ = store.lock(id)) {
            ContainerState state;
            try {
                state = store.read(id);
            } catch (JrunException.SystemFailure unreadable) {
                if (!force) {
                    throw unreadable;
                }
                store.remove(id); // --force removes even a damaged state directory
                return;
            }
            StatusProbe probe = new StatusProbe(store);
            Status status = probe.statusOf(state);
            if (!status.canDeleteWithoutForce() && !force) {
                throw new JrunException.IncorrectStatus(id, "delete", status.label(), "stopped (or use --force)");
            }
            // Also for a "stopped" container whose create was killed: its init may still be waiting.
            if (probe.isInitAlive(state)) {
                InitProcess.killAndWait(state);
            }
            HostNetwork.remove(state);
            store.remove(id);
        }
    }
}
