package dev.jrun.netlink;

import dev.jrun.sys.NativeException;
import dev.jrun.sys.Syscall;
import dev.jrun.sys.SyscallNumber;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The few system calls networking needs, made through dev.jrun.sys.Syscall (send and recv as sendto and recvfrom
 * without an address, open as openat, as aarch64 has only those). Numbers are the Linux x86_64/arm64 ABI.
 */
final class Libc {
    static final int O_RDONLY = 0;
    static final int O_CLOEXEC = 0x80000;
    static final int SOCK_RAW = 3;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int NETLINK_ROUTE = 0;
    static final int SOL_SOCKET = 1;
    static final int SO_RCVTIMEO = 20;
    static final int SOL_NETLINK = 270;
    static final int NETLINK_CAP_ACK = 10;
    static final int NETLINK_EXT_ACK = 11;
    static final int MSG_TRUNC = 0x20;
    static final int CLONE_NEWNET = 0x40000000;

    private Libc() {}

    static int socket(int domain, int type, int protocol) throws NativeException {
        return (int) Syscall.check("socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE)", SyscallNumber.SOCKET, domain, type, protocol);
    }

    static void setsockopt(int fd, int level, int option, MemorySegment value, String name) throws NativeException {
        Syscall.check("setsockopt(" + name + ")", SyscallNumber.SETSOCKOPT, fd, level, option, value.address(), value.byteSize());
    }

    static void bind(int fd, MemorySegment address) throws NativeException {
        Syscall.check("bind(AF_NETLINK)", SyscallNumber.BIND, fd, address.address(), address.byteSize());
    }

    static long send(int fd, MemorySegment data) throws NativeException {
        return Syscall.check("send", SyscallNumber.SENDTO, fd, data.address(), data.byteSize(), 0, 0, 0);
    }

    /** With MSG_TRUNC the result is the datagram's real length, even when it did not fit. */
    static long recv(int fd, MemorySegment buffer, int flags) throws NativeException {
        return Syscall.check("recv", SyscallNumber.RECVFROM, fd, buffer.address(), buffer.byteSize(), flags, 0, 0);
    }

    static void close(int fd) throws NativeException {
        Syscall.check("close", SyscallNumber.CLOSE, fd);
    }

    static int open(String path, int flags) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            return (int) Syscall.check("open(" + path + ")", SyscallNumber.OPENAT, Syscall.AT_FDCWD, arena.allocateFrom(path).address(), flags, 0);
        }
    }

    static void setns(int fd, int namespaceType) throws NativeException {
        Syscall.check("setns(CLONE_NEWNET)", SyscallNumber.SETNS, fd, namespaceType);
    }
}
