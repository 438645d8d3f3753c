package dev.jrun.state;

import dev.jrun.status.Status;
import dev.jrun.sys.KnownProcess;
import dev.jrun.sys.ProcessTable;
import java.util.Optional;

/**
 * Derives a container's status from the live system, never from the file alone: the init is alive
 * only if its pid still has the recorded start time; it is created while it still runs jrun-init
 * (waiting for `start`) and running once it has exec'd the container's program.
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
        var executable = processes.executableOf(init.get().pid());
        // Unreadable means it is exiting right now; counting it as running lets kill and delete act on it.
        return executable.isPresent() && executable.get().equals(state.initBinary()) ? Status.CREATED : Status.RUNNING;
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
