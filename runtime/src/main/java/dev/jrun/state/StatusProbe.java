package dev.jrun.state;

import dev.jrun.cgroup.Freezer;
import dev.jrun.error.JrunException;
import dev.jrun.status.Status;
import dev.jrun.status.Verb;
import dev.jrun.sys.KnownProcess;
import dev.jrun.sys.ProcessTable;
import java.util.Optional;

/**
 * Derives a container's status from the live system, never from the file alone: the init is alive
 * only if its pid still has the recorded start time; it is paused while its cgroup's freezer is frozen
 * (whatever it was before), else created while it still runs jrun-init (waiting for `start`) and
 * running once it has exec'd the container's program.
 *
 * <p>The freezer is read through {@code cgroup.Freezer}: state depends on cgroup (which depends on no
 * state, status or lifecycle code, so the graph stays acyclic) rather than lifecycle handing the probe a
 * "frozen?" callback, because every reader of a status (state, list, each verb's check) must see paused
 * the same way, and this class is where they all get it.
 */
public final class StatusProbe {
    private final ProcessTable processes;

    public StatusProbe(ProcessTable processes) {
        this.processes = processes;
    }

    public Status statusOf(ContainerState state) {
        if (state.phase() == Phase.CREATING) {
            boolean creatorAlive = processes.isAlive(new KnownProcess(state.creatorPid(), state.creatorStartTime()));
            return creatorAlive ? Status.CREATING : Status.STOPPED;
        }
        Optional<KnownProcess> init = initOf(state);
        if (init.isEmpty()) {
            return Status.STOPPED;
        }
        if (frozen(state)) {
            return Status.PAUSED;
        }
        var executable = processes.executableOf(init.get().pid());
        // Unreadable means it is exiting right now; counting it as running lets kill and delete act on it.
        return executable.isPresent() && executable.get().equals(state.initBinary()) ? Status.CREATED : Status.RUNNING;
    }

    /**
     * The status, when verb allows it; else the one error every verb gives for a wrong status.
     */
    public Status require(ContainerState state, Verb verb) throws JrunException.IncorrectStatus {
        Status status = statusOf(state);
        if (!verb.allows(status)) {
            throw new JrunException.IncorrectStatus(state.id(), verb, status);
        }
        return status;
    }

    /** Its cgroups have a freezer and it is frozen (or freezing); false for a state without cgroups (older builds). */
    private static boolean frozen(ContainerState state) {
        return state.cgroups() != null && Freezer.of(state.cgroups().byHierarchy()).map(Freezer::frozen).orElse(false);
    }

    /** The container's init while it is alive (the recorded pid with the recorded start time). */
    public Optional<KnownProcess> initOf(ContainerState state) {
        if (state.pid() <= 0) {
            return Optional.empty();
        }
        KnownProcess init = new KnownProcess(state.pid(), state.pidStartTime());
        return processes.isAlive(init) ? Optional.of(init) : Optional.empty();
    }
}
