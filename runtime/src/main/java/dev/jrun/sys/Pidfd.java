package dev.jrun.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * A process file descriptor (pidfd_open(2)): it names one process for good, so a signal sent
 * through it can never reach a process that later got the same pid. jrun opens one, then checks
 * that the process behind it is the one it means (start time, namespace), then signals through it:
 * no window in which a reused pid is signalled.
 */
public final class Pidfd implements AutoCloseable {
    // The generic syscall table: the same numbers on x86_64 and arm64. Called through syscall(2)
    // because glibc only wraps them from 2.36 on.
    private static final long SYS_PIDFD_SEND_SIGNAL = 424;
    private static final long SYS_PIDFD_OPEN = 434;
    private static final MethodHandle SYSCALL = NativeCalls.function("syscall",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
            Linker.Option.firstVariadicArg(1));
    private static final MethodHandle CLOSE = NativeCalls.function("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

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
        long fd = syscall("pidfd_open(" + pid + ")", SYS_PIDFD_OPEN, pid, 0, 0, 0);
        return fd < 0 ? Optional.empty() : Optional.of(new Pidfd(pid, (int) fd));
    }

    public long pid() {
        return pid;
    }

    /** Sends signal; false when the process has exited meanwhile (a zombie still takes it: true). */
    public boolean signal(int signal) throws NativeException {
        return syscall("pidfd_send_signal(pid " + pid + ", " + signal + ")", SYS_PIDFD_SEND_SIGNAL, fd, signal, 0, 0) >= 0;
    }

    /** Returns the syscall's result; -1 for Errno.ESRCH; throws for any other error. */
    private static long syscall(String call, long number, long a, long b, long c, long d) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = NativeCalls.callState(arena);
            long result = (long) SYSCALL.invokeExact(state, number, a, b, c, d);
            if (result >= 0) {
                return result;
            }
            int errno = NativeCalls.errno(state);
            if (errno == Errno.ESRCH) {
                return -1;
            }
            throw new NativeException(call, errno);
        } catch (NativeException e) {
            throw e;
        } catch (Throwable e) {
            throw NativeCalls.unreachable(call, e);
        }
    }

    @Override
    public void close() {
        try (Arena arena = Arena.ofConfined()) {
            int ignored = (int) CLOSE.invokeExact(NativeCalls.callState(arena), fd);
        } catch (Throwable e) {
            throw NativeCalls.unreachable("close", e);
        }
    }
}
