package dev.jrun.state;

import dev.jrun.sys.ProcStat;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Derives a container's status from the live system, never from the file alone: the init is alive
 * only if its pid still has the recorded start time; created and running differ by whether the
 * init still listens on its start socket.
 */
public final class StatusProbe {
    private final StateStore store;

    public StatusProbe(StateStore store) {
        this.store = store;
    }

    public Status statusOf(ContainerState state) {
        if (state.phase() == Phase.CREATING) {
            boolean creatorAlive = ProcStat.isSameProcess(state.creatorPid(), state.creatorStartTime());
            return creatorAlive ? Status.CREATING : Status.STOPPED;
        }
        if (!isInitAlive(state)) {
            return Status.STOPPED;
        }
        Path startSocket = store.directoryOf(state.id()).resolve(StateStore.START_SOCKET);
        return Files.exists(startSocket) ? Status.CREATED : Status.RUNNING;
    }

    public boolean isInitAlive(ContainerState state) {
        return state.pid() > 0 && ProcStat.isSameProcess(state.pid(), state.pidStartTime());
    }
}
