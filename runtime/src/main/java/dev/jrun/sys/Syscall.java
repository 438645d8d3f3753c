package dev.jrun.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Objects;

/**
 * Every system call of jrun's JVM (this package's and netlink's) goes through one downcall handle: glibc's
 * {@code long syscall(long number, ...)} with six long arguments and errno captured. One handle, because the
 * foreign function API generates classes and method-handle forms for every distinct call shape it links, and no
 * AOT cache keeps them: the server's eleven libc shapes cost 70-85 ms at each start (docs/architecture.md, "One
 * system call shape").
 * <p>
 * Arguments are longs. An int (a descriptor, flags, AT_FDCWD) is passed sign-extended, of which the kernel reads the
 * low 32 bits; a pointer as its segment's {@link MemorySegment#address()}, which must be native memory that lives
 * until the call returns (NULL: 0).
 */
@SuppressWarnings("restricted") // calling the kernel is what this class is for; bin/jrun enables native access
public final class Syscall {
    /** The *at() calls' "relative to the working directory". */
    public static final int AT_FDCWD = -100;

    private static final int MAX_ARGUMENTS = 6;

    private Syscall() {}

    /** The handle, linked when this class is initialised: by the first call, or by {@link #linkInBackground}. */
    private static final class Linked {
        static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
        static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
        static final MethodHandle SYSCALL = link();

        private static MethodHandle link() {
            Linker linker = Linker.nativeLinker();
            ValueLayout.OfLong word = ValueLayout.JAVA_LONG;
            MemorySegment syscall = linker.defaultLookup().find("syscall").orElseThrow(() -> new IllegalStateException("libc has no syscall"));
            // syscall(2) is variadic after the number; glibc reads six longs whatever the call takes.
            return linker.downcallHandle(syscall, FunctionDescriptor.of(word, word, word, word, word, word, word, word),
                    Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));
        }
    }

    /**
     * Links the handle on a daemon thread, so that the ~30 ms it takes in a new JVM pass while the caller does other
     * work (the server, while picocli reads its command line); a call made before it is done waits for it.
     */
    public static void linkInBackground() {
        Thread.ofPlatform().daemon().name("jrun-syscall-link").start(() -> Objects.requireNonNull(Linked.SYSCALL));
    }

    /**
     * The call's result (not negative), or -errno when it failed: glibc's syscall() turns the kernel's error returns
     * into -1 and errno, and this turns them back. At most six arguments; missing ones are 0.
     */
    public static long call(SyscallNumber call, long... args) {
        if (args.length > MAX_ARGUMENTS) {
            throw new IllegalArgumentException(call.kernelName() + " with " + args.length + " arguments: a system call takes at most 6");
        }
        long number = call.number();
        long[] a = args.length == MAX_ARGUMENTS ? args : Arrays.copyOf(args, MAX_ARGUMENTS);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Linked.CALL_STATE);
            long result = (long) Linked.SYSCALL.invokeExact(state, number, a[0], a[1], a[2], a[3], a[4], a[5]);
            return result == -1 ? -(long) (int) Linked.ERRNO.get(state, 0L) : result;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(call.kernelName() + " could not be called", e);
        }
    }

    /** The call's result; a failure is thrown with what (e.g. "open(/dev/null)") and its errno. */
    public static long check(String what, SyscallNumber call, long... args) throws NativeException {
        long result = call(call, args);
        if (result < 0) {
            throw new NativeException(what, errno(result));
        }
        return result;
    }

    /** The errno of a failed {@link #call}'s result. */
    public static int errno(long result) {
        return (int) -result;
    }
}
