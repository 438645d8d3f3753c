package dev.jrun.lifecycle;

import dev.jrun.error.JrunException;
import dev.jrun.state.ContainerLock;
import dev.jrun.state.ContainerState;
import dev.jrun.state.StateStore;
import dev.jrun.state.Status;
import dev.jrun.state.StatusProbe;
import dev.jrun.sys.NativeException;
import dev.jrun.sys.ProcStat;
import dev.jrun.sys.Signals;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** `delete`: removes what create made; refuses a live container unless --force, which kills it first. */
public final class Delete {
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);

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
                killAndWait(state);
            }
            HostNetwork.remove(state);
            store.remove(id);
        }
    }

    private static void killAndWait(ContainerState state) throws JrunException {
        try {
            Signals.send(state.pid(), Signals.SIGKILL);
        } catch (NativeException e) {
            throw new JrunException.SystemFailure("cannot kill the init (pid " + state.pid() + ") of \"" + state.id() + "\": " + e.getMessage(), e);
        }
        // Not our child, so there is nothing to wait(2) on: watch its /proc entry go away.
        long deadline = System.nanoTime() + KILL_TIMEOUT.toNanos();
        long pauseNanos = 100_000;
        while (ProcStat.isSameProcess(state.pid(), state.pidStartTime())) {
            if (System.nanoTime() > deadline) {
                throw new JrunException.SystemFailure("the init (pid " + state.pid() + ") of \"" + state.id()
                        + "\" survived SIGKILL for " + KILL_TIMEOUT.toSeconds() + " s (stuck in the kernel?)", null);
            }
            LockSupport.parkNanos(pauseNanos);
            pauseNanos = Math.min(pauseNanos * 2, 10_000_000);
        }
    }
}
