package dev.jrun.netlink;

import dev.jrun.sys.NativeCalls;
import dev.jrun.sys.NativeException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The few libc calls networking needs, through the JDK's foreign function API with errno captured
 * (the shared plumbing is dev.jrun.sys.NativeCalls). Looked up when this class is first used, so commands that never
 * touch the network never pay for it. Numbers are the Linux x86_64/arm64 ABI.
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

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong SIZE_T = ValueLayout.JAVA_LONG;
    private static final ValueLayout POINTER = ValueLayout.ADDRESS;

    private static final MethodHandle SOCKET = NativeCalls.function("socket", FunctionDescriptor.of(INT, INT, INT, INT));
    private static final MethodHandle SETSOCKOPT = NativeCalls.function("setsockopt", FunctionDescriptor.of(INT, INT, INT, INT, POINTER, INT));
    private static final MethodHandle BIND = NativeCalls.function("bind", FunctionDescriptor.of(INT, INT, POINTER, INT));
    private static final MethodHandle SEND = NativeCalls.function("send", FunctionDescriptor.of(SIZE_T, INT, POINTER, SIZE_T, INT));
    private static final MethodHandle RECV = NativeCalls.function("recv", FunctionDescriptor.of(SIZE_T, INT, POINTER, SIZE_T, INT));
    private static final MethodHandle CLOSE = NativeCalls.function("close", FunctionDescriptor.of(INT, INT));
    private static final MethodHandle SETNS = NativeCalls.function("setns", FunctionDescriptor.of(INT, INT, INT));
    /** open(2) is variadic: the mode is passed as its one variadic argument. */
    private static final MethodHandle OPEN = NativeCalls.function("open", FunctionDescriptor.of(INT, POINTER, INT, INT),
            Linker.Option.firstVariadicArg(2));

    private Libc() {}

    static int socket(int domain, int type, int protocol) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = NativeCalls.callState(arena);
            return (int) check(state, "socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE)", (int) SOCKET.invokeExact(state, domain, type, protocol));
        } catch (NativeException e) {
            throw e;
        } catch (Throwable e) {
            throw NativeCalls.unreachable("socket", e);
        }
    }

    static void setsockopt(int fd, int level, int option, MemorySegment value, String name) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = NativeCalls.callState(arena);
            check(state, "setsockopt(" + name + ")", (int) SETSOCKOPT.invokeExact(state, fd, level, option, value, (int) value.byteSize()));
        } catch (NativeException e) {
            throw e;
        } catch (Throwable e) {
            throw NativeCalls.unreachable("setsockopt", e);
        }
    }

    static void bind(int fd, MemorySegment address) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = NativeCalls.callState(arena);
            check(state, "bind(AF_NETLINK)", (int) BIND.invokeExact(state, fd, address, (int) address.byteSize()));
        } catch (NativeException e) {
            throw e;
        } catch (Throwable e) {
            throw NativeCalls.unreachable("bind", e);
        }
    }

    static long send(int fd, MemorySegment data) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = NativeCalls.callState(arena);
            return check(state, "send", (long) SEND.invokeExact(state, fd, data, data.byteSize(), 0));
        } catch (NativeException e) {
            throw e;
        } catch (Throwable e) {
            throw NativeCalls.unreachable("send", e);
        }
    }

    /** With MSG_TRUNC the result is the datagram's real length, even when it did not fit. */
    static long recv(int fd, MemorySegment buffer, int flags) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = NativeCalls.callState(arena);
            return check(state, "recv", (long) RECV.invokeExact(state, fd, buffer, buffer.byteSize(), flags));
        } catch (NativeException e) {
            throw e;
        } catch (Throwable e) {
            throw NativeCalls.unreachable("recv", e);
        }
    }

    static void close(int fd) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = NativeCalls.callState(arena);
            check(state, "close", (int) CLOSE.invokeExact(state, fd));
        } catch (NativeException e) {
            throw e;
        } catch (Throwable e) {
            throw NativeCalls.unreachable("close", e);
        }
    }

    static int open(String path, int flags) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = NativeCalls.callState(arena);
            return (int) check(state, "open(" + path + ")", (int) OPEN.invokeExact(state, arena.allocateFrom(path), flags, 0));
        } catch (NativeException e) {
            throw e;
        } catch (Throwable e) {
            throw NativeCalls.unreachable("open", e);
        }
    }

    static void setns(int fd, int namespaceType) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = NativeCalls.callState(arena);
            check(state, "setns(CLONE_NEWNET)", (int) SETNS.invokeExact(state, fd, namespaceType));
        } catch (NativeException e) {
            throw e;
        } catch (Throwable e) {
            throw NativeCalls.unreachable("setns", e);
        }
    }

    private static long check(MemorySegment state, String call, long result) throws NativeException {
        if (result < 0) {
            throw new NativeException(call, NativeCalls.errno(state));
        }
        return result;
    }

}
