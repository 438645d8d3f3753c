package dev.jrun.lifecycle;

import dev.jrun.cgroup.Freezer;
import dev.jrun.error.JrunException;
import dev.jrun.state.ContainerLock;
import dev.jrun.state.ContainerState;
import dev.jrun.state.StateStore;
import dev.jrun.state.StatusProbe;
import dev.jrun.status.Status;
import dev.jrun.status.Verb;
import dev.jrun.sys.ProcessTable;

/**
 * `pause` and `resume`: freeze and thaw every process of the container through its cgroup's freezer (runc's verbs;
 * the OCI lifecycle has neither). Nothing is recorded: the status probe reads the freezer, so `state` says paused
 * exactly while the kernel holds the container frozen, whoever froze it.
 */
public final class Pause {
    private final StateStore store;
    private final ProcessTable processes;

    public Pause(StateStore store, ProcessTable processes) {
        this.store = store;
        this.processes = processes;
    }

    /** Freezes a created or running container; returns once the kernel reports every process frozen. */
    public void pause(String id) throws JrunException {
        try (ContainerLock _ = store.lock(id)) {
            ContainerState state = store.read(id);
            StatusProbe probe = new StatusProbe(processes);
            Freezer freezer = freezerOf(id, state, probe, Verb.PAUSE);
            freezer.freeze();
            // The init may have exited between the probe and the freeze: a frozen cgroup of a stopped container is
            // not a paused container (runc says "container process already exited" there too).
            if (probe.initOf(state).isEmpty()) {
                freezer.thaw();
                throw new JrunException.IncorrectStatus(id, Verb.PAUSE, Status.STOPPED);
            }
        }
    }

    /** Thaws a paused container: it is running again, or created if it was paused before `start`. */
    public void resume(String id) throws JrunException {
        try (ContainerLock _ = store.lock(id)) {
            ContainerState state = store.read(id);
            freezerOf(id, state, new StatusProbe(processes), Verb.RESUME).thaw();
        }
    }

    private Freezer freezerOf(String id, ContainerState state, StatusProbe probe, Verb verb) throws JrunException {
        probe.require(state, verb);
        if (state.cgroups() == null || state.cgroups().directories().isEmpty()) {
            throw new JrunException.InvalidInput("cannot " + verb.label() + " container \"" + id + "\": it has no cgroup of its"
                    + " own (it was created by a jrun without cgroup support), so there is nothing to freeze; stop it with"
                    + " `jrun kill` instead");
        }
        return Freezer.of(state.cgroups().byHierarchy()).orElseThrow(() -> new JrunException.SystemFailure("cannot " + verb.label()
                + " container \"" + id + "\": none of its cgroups " + state.cgroups().byHierarchy().values() + " has a freezer"
                + " (neither a cgroup v1 freezer hierarchy nor cgroup v2's cgroup.freeze, Linux 5.2+); mount the v1 freezer"
                + " controller or use a newer kernel", null));
    }
}
