package dev.jrun.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * rename(2) that never replaces: renameat2(RENAME_NOREPLACE). Files.move cannot promise it (it checks
 * the target, then renames: two steps another process can come between).
 */
public final class Rename {
    private static final int AT_FDCWD = -100;
    private static final int RENAME_NOREPLACE = 1;
    private static final MethodHandle RENAMEAT2 = NativeCalls.function("renameat2", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));

    private Rename() {}

    /** Renames from to to; fails with EEXIST (see {@link NativeException#errno()}) when to exists. */
    public static void noReplace(Path from, Path to) throws NativeException {
        String call = "renameat2(" + from + ", " + to + ", RENAME_NOREPLACE)";
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = NativeCalls.callState(arena);
            int result = (int) RENAMEAT2.invokeExact(state, AT_FDCWD, arena.allocateFrom(from.toString()), AT_FDCWD,
                    arena.allocateFrom(to.toString()), RENAME_NOREPLACE);
            if (result != 0) {
                throw new NativeException(call, NativeCalls.errno(state));
            }
        } catch (NativeException e) {
            throw e;
        } catch (Throwable e) {
            throw NativeCalls.unreachable(call, e);
        }
    }
}
