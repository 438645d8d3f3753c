package dev.jrun.sys;

import java.util.Optional;

/**
 * A process file descriptor (pidfd_open(2)): it names one process for good, so a signal sent
 * through it can never reach a process that later got the same pid. jrun opens one, then checks
 * that the process behind it is the one it means (start time, namespace), then signals through it:
 * no window in which a reused pid is signalled.
 */
public final class Pidfd implements AutoCloseable {
    private final long pid;
    private final int fd;

    private Pidfd(long pid, int fd) {
        this.pid = pid;
        this.fd = fd;
    }

    /** A pidfd for pid, or empty when no such process exists (any more). */
    public static Optional<Pidfd> open(long pid) throws NativeException {
        if (pid <= 0 || pid > Integer.MAX_VALUE) {
            return Optional.empty();
        }
        long fd = syscall("pidfd_open(" + pid + ")", SyscallNumber.PIDFD_OPEN, pid, 0);
        return fd < 0 ? Optional.empty() : Optional.of(new Pidfd(pid, (int) fd));
    }

    public long pid() {
        return pid;
    }

    /** Sends signal; false when the process has exited meanwhile (a zombie still takes it: true). */
    public boolean signal(int signal) throws NativeException {
        return syscall("pidfd_send_signal(pid " + pid + ", " + signal + ")", SyscallNumber.PIDFD_SEND_SIGNAL, fd, signal, 0, 0) >= 0;
    }

    /** Returns the syscall's result; -1 for Errno.ESRCH; throws for any other error. */
    private static long syscall(String call, SyscallNumber number, long... args) throws NativeException {
        long result = Syscall.call(number, args);
        if (result >= 0) {
            return result;
        }
        if (Syscall.errno(result) == Errno.ESRCH) {
            return -1;
        }
        throw new NativeException(call, Syscall.errno(result));
    }

    @Override
    public void close() {
        FileDescriptors.close(fd);
    }
}
