package dev.jrun.sys;

import java.util.Optional;

/**
 * One process, named so that a reused pid can never be taken for it: its pid and its start time
 * (clock ticks since boot, /proc/PID/stat field 22).
 */
public record KnownProcess(long pid, long startTime) {

    /** The process now running as pid, or empty when there is none. */
    public static Optional<KnownProcess> now(long pid) {
        var startTime = ProcStat.startTime(pid);
        return startTime.isPresent() ? Optional.of(new KnownProcess(pid, startTime.getAsLong())) : Optional.empty();
    }

    public boolean isAlive() {
        return pid > 0 && ProcStat.isSameProcess(pid, startTime);
    }

    /**
     * Opens a pidfd for this very process: the pidfd is opened first and the start time checked
     * after, so the descriptor cannot name a process that took the pid over. Empty when it is gone.
     */
    public Optional<Pidfd> open() throws NativeException {
        Optional<Pidfd> pidfd = Pidfd.open(pid);
        if (pidfd.isPresent() && !isAlive()) {
            pidfd.get().close();
            return Optional.empty();
        }
        return pidfd;
    }

    /** Sends signal to this very process; false when it has exited. */
    public boolean signal(int signal) throws NativeException {
        Optional<Pidfd> pidfd = open();
        if (pidfd.isEmpty()) {
            return false;
        }
        try (Pidfd fd = pidfd.get()) {
            return fd.signal(signal);
        }
    }
}
