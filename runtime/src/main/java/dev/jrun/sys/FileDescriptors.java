package dev.jrun.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Raw file descriptors that did not come from the JDK (the caller's stdio received by the server, the server's
 * sockets): write(2) without losing bytes, close(2), poll(2), and an eventfd(2) to wake a thread in poll. The JDK
 * cannot wrap a descriptor number in a stream or channel, so these are system calls ({@link Syscall}).
 * Numbers are the Linux x86_64/arm64 ABI.
 */
public final class FileDescriptors {
    public static final short POLLIN = 0x1;
    public static final short POLLOUT = 0x4;
    public static final short POLLERR = 0x8;
    public static final short POLLHUP = 0x10;
    public static final short POLLNVAL = 0x20;
    /** The peer closed its end or shut down writing (Linux; asked for explicitly, unlike POLLHUP). */
    public static final short POLLRDHUP = 0x2000;

    private static final int EFD_NONBLOCK = 0x800;
    private static final int EFD_CLOEXEC = 0x80000;
    /** struct pollfd { int fd; short events; short revents; }: 8 bytes on every Linux ABI. */
    private static final long POLLFD_SIZE = 8;
    /** struct timespec { long tv_sec; long tv_nsec; }: ppoll's timeout. */
    private static final long TIMESPEC_SIZE = 16;
    private static final int O_WRONLY = 01;
    private static final int O_RDWR = 02;
    private static final int O_CLOEXEC = 02000000;

    private FileDescriptors() {}

    /**
     * Writes all of data: a short write is continued, EINTR retried, and EAGAIN (a caller whose stdout is
     * non-blocking) waits until the descriptor takes more. Any other error (EPIPE: the reader has gone) is thrown;
     * the JVM ignores SIGPIPE, so a gone reader costs this write, never the process.
     */
    public static void writeFully(int fd, byte[] data, int offset, int length, String what) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(Math.max(1, length));
            MemorySegment.copy(data, offset, buffer, ValueLayout.JAVA_BYTE, 0, length);
            long done = 0;
            while (done < length) {
                long written = Syscall.call(SyscallNumber.WRITE, fd, buffer.address() + done, length - done);
                if (written >= 0) {
                    done += written;
                    continue;
                }
                retryOrThrow(Syscall.errno(written), fd, POLLOUT, "write(" + what + ")");
            }
        }
    }

    /**
     * Reads up to length bytes into data at offset: the count read, 0 at end of file. EINTR is retried, and EAGAIN (a
     * caller whose stdin is non-blocking) waits until the descriptor has more.
     */
    public static int read(int fd, byte[] data, int offset, int length, String what) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(Math.max(1, length));
            while (true) {
                long got = Syscall.call(SyscallNumber.READ, fd, buffer.address(), length);
                if (got >= 0) {
                    MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, 0, data, offset, (int) got);
                    return (int) got;
                }
                retryOrThrow(Syscall.errno(got), fd, POLLIN, "read(" + what + ")");
            }
        }
    }

    /** After a failed read or write: EAGAIN waits until fd is ready for event, EINTR lets the caller try again, anything else is thrown. */
    private static void retryOrThrow(int errno, int fd, short event, String call) throws NativeException {
        if (errno == Errno.EAGAIN) {
            poll(new int[] {fd}, new short[] {event}, -1);
        } else if (errno != Errno.EINTR) {
            throw new NativeException(call, errno);
        }
    }

    /** A new descriptor open for reading and writing on path (close-on-exec), e.g. /dev/null to stand for a caller's stdio. */
    public static int openReadWrite(java.nio.file.Path path) throws NativeException {
        return open(path, O_RDWR | O_CLOEXEC);
    }

    /**
     * A new descriptor open for writing only on an existing path (close-on-exec; never created or truncated): a cgroup
     * file, whose write(2) the kernel takes whole or refuses with the errno that says why.
     */
    public static int openWriteOnly(java.nio.file.Path path) throws NativeException {
        return open(path, O_WRONLY | O_CLOEXEC);
    }

    private static int open(java.nio.file.Path path, int flags) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            // No mode: these flags never make a file.
            return (int) Syscall.check("open(" + path + ")", SyscallNumber.OPENAT, Syscall.AT_FDCWD,
                    arena.allocateFrom(path.toString()).address(), flags);
        }
    }

    /** Closes fd; an error (EINTR, EIO on some file systems) still leaves it closed on Linux, so it is not reported. */
    public static void close(int fd) {
        if (fd >= 0) {
            Syscall.call(SyscallNumber.CLOSE, fd);
        }
    }

    /**
     * poll(2) on fds for events (one entry each), at most timeoutMillis (-1: no limit); the returned events per
     * descriptor (0: none). An interrupted poll returns all zeros, as a timeout does: callers loop anyway.
     */
    public static short[] poll(int[] fds, short[] events, int timeoutMillis) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pollfds = arena.allocate(POLLFD_SIZE * fds.length, 4);
            for (int i = 0; i < fds.length; i++) {
                pollfds.set(ValueLayout.JAVA_INT, i * POLLFD_SIZE, fds[i]);
                pollfds.set(ValueLayout.JAVA_SHORT, i * POLLFD_SIZE + 4, events[i]);
                pollfds.set(ValueLayout.JAVA_SHORT, i * POLLFD_SIZE + 6, (short) 0);
            }
            long timeout = 0; // NULL: no limit
            if (timeoutMillis >= 0) {
                MemorySegment timespec = arena.allocate(TIMESPEC_SIZE, 8);
                timespec.set(ValueLayout.JAVA_LONG, 0, timeoutMillis / 1000);
                timespec.set(ValueLayout.JAVA_LONG, 8, (timeoutMillis % 1000) * 1_000_000L);
                timeout = timespec.address();
            }
            // ppoll with no signal mask is poll(2) with a timespec; aarch64 has no poll.
            long ready = Syscall.call(SyscallNumber.PPOLL, pollfds.address(), fds.length, timeout, 0, 0);
            short[] returned = new short[fds.length];
            if (ready < 0) {
                if (Syscall.errno(ready) == Errno.EINTR) {
                    return returned;
                }
                throw new NativeException("poll", Syscall.errno(ready));
            }
            for (int i = 0; i < fds.length; i++) {
                returned[i] = pollfds.get(ValueLayout.JAVA_SHORT, i * POLLFD_SIZE + 6);
            }
            return returned;
        }
    }

    /** A non-blocking, close-on-exec eventfd: another thread's {@link #signal} makes it readable (wakes a poll). */
    public static int eventFd() throws NativeException {
        return (int) Syscall.check("eventfd", SyscallNumber.EVENTFD2, 0, EFD_NONBLOCK | EFD_CLOEXEC);
    }

    /** Adds one to the eventfd's counter; never blocks (the counter cannot realistically overflow). */
    public static void signal(int eventFd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment one = arena.allocate(ValueLayout.JAVA_LONG);
            one.set(ValueLayout.JAVA_LONG, 0, 1L);
            Syscall.call(SyscallNumber.WRITE, eventFd, one.address(), 8);
        }
    }

    /** Resets the eventfd's counter to zero (it is non-blocking: nothing to read is fine). */
    public static void drain(int eventFd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment counter = arena.allocate(ValueLayout.JAVA_LONG);
            Syscall.call(SyscallNumber.READ, eventFd, counter.address(), 8);
        }
    }
}
