package dev.jrun.sys;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Unix stream sockets by descriptor number, for the jrun server: the JDK's SocketChannel can neither pass
 * descriptors (SCM_RIGHTS) nor tell who is on the other end (SO_PEERCRED). Every descriptor made here is
 * close-on-exec. Layouts and numbers are the Linux LP64 ABI (x86_64 and arm64 agree on all of them).
 */
public final class UnixSockets {
    /** sun_path holds 108 bytes including the terminating NUL. */
    public static final int MAX_PATH_BYTES = 107;

    private static final short AF_UNIX = 1;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_NONBLOCK = 0x800;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SOL_SOCKET = 1;
    private static final int SO_PEERCRED = 17;
    private static final int SCM_RIGHTS = 1;
    private static final int MSG_CTRUNC = 0x8;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int MSG_CMSG_CLOEXEC = 0x40000000;

    /** struct sockaddr_un: sa_family_t (2 bytes), then sun_path[108]. */
    private static final int SOCKADDR_UN_SIZE = 110;
    /** struct msghdr: name, namelen(+pad), iov, iovlen, control, controllen, flags(+pad). */
    private static final long MSGHDR_SIZE = 56;
    private static final long MSG_IOV = 16;
    private static final long MSG_IOVLEN = 24;
    private static final long MSG_CONTROL = 32;
    private static final long MSG_CONTROLLEN = 40;
    private static final long MSG_FLAGS = 48;
    /** struct cmsghdr: cmsg_len (size_t), cmsg_level, cmsg_type; the data starts 8-aligned after it. */
    private static final long CMSG_HEADER = 16;

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    private static final AddressLayout POINTER = ValueLayout.ADDRESS;

    private UnixSockets() {}

    /** Who is on the other end of a connected socket, as the kernel recorded it at connect(2). */
    public record PeerCredentials(long pid, int uid, int gid) {}

    /**
     * What one recvmsg(2) returned: data (empty at end of stream) and the descriptors that came with it, which
     * the caller now owns. controlTruncated: more descriptors were sent than there was room for (the kernel
     * closed the rest).
     */
    public record Received(byte[] data, List<Integer> fds, boolean controlTruncated) {
        public Received {
            fds = List.copyOf(fds);
        }

        public boolean endOfStream() {
            return data.length == 0 && fds.isEmpty();
        }
    }

    /** A listening socket bound at path: non-blocking (accept answers "none now" instead of waiting). */
    public static int listen(Path path, int backlog) throws NativeException {
        int fd = socket(SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC);
        try (Arena arena = Arena.ofConfined()) {
            Syscall.check("bind(" + path + ")", SyscallNumber.BIND, fd, address(arena, path).address(), SOCKADDR_UN_SIZE);
            Syscall.check("listen(" + path + ")", SyscallNumber.LISTEN, fd, backlog);
            return fd;
        } catch (NativeException | RuntimeException e) {
            FileDescriptors.close(fd);
            throw e;
        }
    }

    /** A blocking socket connected to path (ECONNREFUSED: nobody listens; ENOENT: no socket there). */
    public static int connect(Path path) throws NativeException {
        int fd = socket(SOCK_STREAM | SOCK_CLOEXEC);
        try (Arena arena = Arena.ofConfined()) {
            long address = address(arena, path).address();
            long result;
            while ((result = Syscall.call(SyscallNumber.CONNECT, fd, address, SOCKADDR_UN_SIZE)) < 0) {
                if (Syscall.errno(result) != Errno.EINTR) {
                    throw new NativeException("connect(" + path + ")", Syscall.errno(result));
                }
            }
            return fd;
        } catch (NativeException | RuntimeException e) {
            FileDescriptors.close(fd);
            throw e;
        }
    }

    /** The next pending connection as a blocking socket, or empty when none is waiting. */
    public static OptionalInt accept(int listenFd) throws NativeException {
        while (true) {
            long fd = Syscall.call(SyscallNumber.ACCEPT4, listenFd, 0, 0, SOCK_CLOEXEC);
            if (fd >= 0) {
                return OptionalInt.of((int) fd);
            }
            int errno = Syscall.errno(fd);
            if (errno == Errno.EAGAIN) {
                return OptionalInt.empty();
            }
            // ECONNABORTED: a client that gave up while queued; others may wait behind it.
            if (errno != Errno.EINTR && errno != Errno.ECONNABORTED) {
                throw new NativeException("accept4", errno);
            }
        }
    }

    public static PeerCredentials peerCredentials(int fd) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ucred = arena.allocate(12, 4);
            MemorySegment length = arena.allocate(INT);
            length.set(INT, 0, 12);
            Syscall.check("getsockopt(SO_PEERCRED)", SyscallNumber.GETSOCKOPT, fd, SOL_SOCKET, SO_PEERCRED, ucred.address(), length.address());
            return new PeerCredentials(Integer.toUnsignedLong(ucred.get(INT, 0)), ucred.get(INT, 4), ucred.get(INT, 8));
        }
    }

    /** This process's effective uid, which the server compares its peers' with. */
    public static int effectiveUid() {
        return (int) Syscall.call(SyscallNumber.GETEUID); // cannot fail
    }

    /**
     * Sends all of data, the descriptors (if any) with its first byte. MSG_NOSIGNAL: a peer that has gone is
     * EPIPE here, not SIGPIPE. The socket must be blocking.
     */
    public static void sendAll(int fd, byte[] data, int... fds) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(Math.max(1, data.length));
            MemorySegment.copy(data, 0, buffer, ValueLayout.JAVA_BYTE, 0, data.length);
            MemorySegment iov = arena.allocate(16, 8);
            MemorySegment message = arena.allocate(MSGHDR_SIZE, 8);
            long sent = 0;
            boolean fdsSent = fds.length == 0;
            while (sent < data.length || !fdsSent) {
                message.fill((byte) 0);
                iov.set(POINTER, 0, buffer.asSlice(sent));
                iov.set(LONG, 8, data.length - sent);
                message.set(POINTER, MSG_IOV, iov);
                message.set(LONG, MSG_IOVLEN, 1L);
                if (!fdsSent) {
                    MemorySegment control = rights(arena, fds);
                    message.set(POINTER, MSG_CONTROL, control);
                    message.set(LONG, MSG_CONTROLLEN, control.byteSize());
                }
                long result = Syscall.call(SyscallNumber.SENDMSG, fd, message.address(), MSG_NOSIGNAL);
                if (result < 0) {
                    int errno = Syscall.errno(result);
                    if (errno == Errno.EINTR) {
                        continue;
                    }
                    throw new NativeException("sendmsg", errno);
                }
                sent += result;
                fdsSent = true;
            }
        }
    }

    /**
     * One recvmsg(2) of at most maxBytes, accepting up to maxFds descriptors (close-on-exec). With dontWait,
     * empty when nothing is there yet (the socket itself stays blocking).
     */
    public static Optional<Received> receive(int fd, int maxBytes, int maxFds, boolean dontWait) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(maxBytes);
            MemorySegment iov = arena.allocate(16, 8);
            iov.set(POINTER, 0, buffer);
            iov.set(LONG, 8, (long) maxBytes);
            long controlSize = maxFds == 0 ? 0 : CMSG_HEADER + align8(4L * maxFds);
            MemorySegment control = controlSize == 0 ? MemorySegment.NULL : arena.allocate(controlSize, 8);
            MemorySegment message = arena.allocate(MSGHDR_SIZE, 8);
            int flags = MSG_CMSG_CLOEXEC | (dontWait ? MSG_DONTWAIT : 0);
            long result;
            while (true) {
                message.fill((byte) 0);
                message.set(POINTER, MSG_IOV, iov);
                message.set(LONG, MSG_IOVLEN, 1L);
                message.set(POINTER, MSG_CONTROL, control);
                message.set(LONG, MSG_CONTROLLEN, controlSize);
                result = Syscall.call(SyscallNumber.RECVMSG, fd, message.address(), flags);
                if (result >= 0) {
                    break;
                }
                int errno = Syscall.errno(result);
                if (errno == Errno.EAGAIN) {
                    return Optional.empty();
                }
                if (errno != Errno.EINTR) {
                    throw new NativeException("recvmsg", errno);
                }
            }
            List<Integer> fds = receivedFds(control, message.get(LONG, MSG_CONTROLLEN));
            boolean truncated = (message.get(INT, MSG_FLAGS) & MSG_CTRUNC) != 0;
            return Optional.of(new Received(buffer.asSlice(0, result).toArray(ValueLayout.JAVA_BYTE), fds, truncated));
        }
    }

    /** Every SCM_RIGHTS descriptor in the control data recvmsg filled in. */
    private static List<Integer> receivedFds(MemorySegment control, long length) {
        List<Integer> fds = new ArrayList<>();
        length = Math.min(length, control.byteSize());
        long offset = 0;
        while (offset + CMSG_HEADER <= length) {
            long cmsgLength = control.get(LONG, offset);
            if (cmsgLength < CMSG_HEADER || offset + cmsgLength > length) {
                break;
            }
            if (control.get(INT, offset + 8) == SOL_SOCKET && control.get(INT, offset + 12) == SCM_RIGHTS) {
                for (long at = offset + CMSG_HEADER; at + 4 <= offset + cmsgLength; at += 4) {
                    fds.add(control.get(INT, at));
                }
            }
            offset += align8(cmsgLength);
        }
        return fds;
    }

    private static MemorySegment rights(Arena arena, int[] fds) {
        long length = CMSG_HEADER + 4L * fds.length;
        MemorySegment control = arena.allocate(CMSG_HEADER + align8(4L * fds.length), 8);
        control.set(LONG, 0, length);
        control.set(INT, 8, SOL_SOCKET);
        control.set(INT, 12, SCM_RIGHTS);
        for (int i = 0; i < fds.length; i++) {
            control.set(INT, CMSG_HEADER + 4L * i, fds[i]);
        }
        return control;
    }

    private static long align8(long n) {
        return (n + 7) & ~7L;
    }

    private static int socket(int type) throws NativeException {
        return (int) Syscall.check("socket(AF_UNIX, SOCK_STREAM)", SyscallNumber.SOCKET, AF_UNIX, type, 0);
    }

    /** sockaddr_un for path; a path too long for sun_path is ENAMETOOLONG, as the kernel would say. */
    private static MemorySegment address(Arena arena, Path path) throws NativeException {
        byte[] bytes = path.toString().getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_PATH_BYTES) {
            throw new NativeException("socket address " + path + " (" + bytes.length + " bytes, at most " + MAX_PATH_BYTES + ")",
                    Errno.ENAMETOOLONG);
        }
        MemorySegment address = arena.allocate(SOCKADDR_UN_SIZE, 2);
        address.fill((byte) 0);
        address.set(ValueLayout.JAVA_SHORT, 0, AF_UNIX);
        MemorySegment.copy(bytes, 0, address, ValueLayout.JAVA_BYTE, 2, bytes.length);
        return address;
    }
}
