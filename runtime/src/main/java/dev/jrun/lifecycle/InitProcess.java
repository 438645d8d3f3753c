package dev.jrun.lifecycle;

import dev.jrun.error.JrunException;
import dev.jrun.state.ContainerState;
import dev.jrun.sys.NativeException;
import dev.jrun.sys.ProcStat;
import dev.jrun.sys.Signals;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** Ends a container's init for good: SIGKILL, then wait until that very process (pid + start time) is gone. */
final class InitProcess {
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);

    private InitProcess() {}

    static void killAndWait(ContainerState state) throws JrunException {
        killAndWait(state.id(), state.pid(), state.pidStartTime());
    }

    /** @param startTime the init's start time, so that a reused pid is never waited for */
    static void killAndWait(String id, long pid, long startTime) throws JrunException {
        try {
            Signals.send(pid, Signals.SIGKILL);
        } catch (NativeException e) {
            throw new JrunException.SystemFailure("cannot kill the init (pid " + pid + ") of \"" + id + "\": " + e.getMessage(), e);
        }
        // Not our child, so there is nothing to wait(2) on: watch its /proc entry go away.
        long deadline = System.nanoTime() + KILL_TIMEOUT.toNanos();
        long pauseNanos = 100_000;
        while (ProcStat.isSameProcess(pid, startTime)) {
            if (System.nanoTime() > deadline) {
                throw new JrunException.SystemFailure("the init (pid " + pid + ") of \"" + id
                        + "\" survived SIGKILL for " + KILL_TIMEOUT.toSeconds() + " s (stuck in the kernel?)", null);
            }
            LockSupport.parkNanos(pauseNanos);
            pauseNanos = Math.min(pauseNanos * 2, 10_000_000);
        }
    }
}
