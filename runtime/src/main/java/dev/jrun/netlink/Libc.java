package dev.jrun.netlink;

import dev.jrun.sys.NativeException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The few libc calls networking needs, through the JDK's foreign function API with errno captured
 * (as dev.jrun.sys.Signals does). Looked up when this class is first used, so commands that never
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
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int ENOPROTOOPT = 92;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong SIZE_T = ValueLayout.JAVA_LONG;
    private static final ValueLayout POINTER = ValueLayout.ADDRESS;

    private static final MethodHandle SOCKET = handle("socket", FunctionDescriptor.of(INT, INT, INT, INT));
    private static final MethodHandle SETSOCKOPT = handle("setsockopt", FunctionDescriptor.of(INT, INT, INT, INT, POINTER, INT));
    private static final MethodHandle BIND = handle("bind", FunctionDescriptor.of(INT, INT, POINTER, INT));
    private static final MethodHandle SEND = handle("send", FunctionDescriptor.of(SIZE_T, INT, POINTER, SIZE_T, INT));
    private static final MethodHandle RECV = handle("recv", FunctionDescriptor.of(SIZE_T, INT, POINTER, SIZE_T, INT));
    private static final MethodHandle CLOSE = handle("close", FunctionDescriptor.of(INT, INT));
    private static final MethodHandle SETNS = handle("setns", FunctionDescriptor.of(INT, INT, INT));
    /** open(2) is variadic: the mode is passed as its one variadic argument. */
    private static final MethodHandle OPEN = LINKER.downcallHandle(LINKER.defaultLookup().find("open").orElseThrow(),
            FunctionDescriptor.of(INT, POINTER, INT, INT), Linker.Option.firstVariadicArg(2), Linker.Option.captureCallState("errno"));

    private Libc() {}

    private static MethodHandle handle(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor, Linker.Option.captureCallState("errno"));
    }

    static int socket(int domain, int type, int protocol) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            return (int) check(state, "socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE)", (int) SOCKET.invokeExact(state, domain, type, protocol));
        } catch (NativeException e) {
            throw e;
        } catch (Throwable e) {
            throw unreachable("socket", e);
        }
    }

    static void setsockopt(int fd, int level, int option, MemorySegment value, String name) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            check(state, "setsockopt(" + name + ")", (int) SETSOCKOPT.invokeExact(state, fd, level, option, value, (int) value.byteSize()));
        } catch (NativeException e) {
            throw e;
        } catch (Throwable e) {
            throw unreachable("setsockopt", e);
        }
    }

    static void bind(int fd, MemorySegment address) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            check(state, "bind(AF_NETLINK)", (int) BIND.invokeExact(state, fd, address, (int) address.byteSize()));
        } catch (NativeException e) {
            throw e;
        } catch (Throwable e) {
            throw unreachable("bind", e);
        }
    }

    static long send(int fd, MemorySegment data) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            return check(state, "send", (long) SEND.invokeExact(state, fd, data, data.byteSize(), 0));
        } catch (NativeException e) {
            throw e;
        } catch (Throwable e) {
            throw unreachable("send", e);
        }
    }

    /** With MSG_TRUNC the result is the datagram's real length, even when it did not fit. */
    static long recv(int fd, MemorySegment buffer, int flags) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            return check(state, "recv", (long) RECV.invokeExact(state, fd, buffer, buffer.byteSize(), flags));
        } catch (NativeException e) {
            throw e;
        } catch (Throwable e) {
            throw unreachable("recv", e);
        }
    }

    static void close(int fd) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            check(state, "close", (int) CLOSE.invokeExact(state, fd));
        } catch (NativeException e) {
            throw e;
        } catch (Throwable e) {
            throw unreachable("close", e);
        }
    }

    static int open(String path, int flags) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            return (int) check(state, "open(" + path + ")", (int) OPEN.invokeExact(state, arena.allocateFrom(path), flags, 0));
        } catch (NativeException e) {
            throw e;
        } catch (Throwable e) {
            throw unreachable("open", e);
        }
    }

    static void setns(int fd, int namespaceType) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            check(state, "setns(CLONE_NEWNET)", (int) SETNS.invokeExact(state, fd, namespaceType));
        } catch (NativeException e) {
            throw e;
        } catch (Throwable e) {
            throw unreachable("setns", e);
        }
    }

    private static long check(MemorySegment state, String call, long result) throws NativeException {
        if (result < 0) {
            throw new NativeException(call, (int) ERRNO.get(state, 0L));
        }
        return result;
    }

    private static IllegalStateException unreachable(String call, Throwable e) {
        return new IllegalStateException(call + "(2) could not be called", e);
    }
}
