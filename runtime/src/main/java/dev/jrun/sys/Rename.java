package dev.jrun.sys;

import java.lang.foreign.Arena;
import java.nio.file.Path;

/**
 * rename(2) that never replaces: renameat2(RENAME_NOREPLACE). Files.move cannot promise it (it checks
 * the target, then renames: two steps another process can come between).
 */
public final class Rename {
    private static final int RENAME_NOREPLACE = 1;

    private Rename() {}

    /** Renames from to to; fails with EEXIST (see {@link NativeException#errno()}) when to exists. */
    public static void noReplace(Path from, Path to) throws NativeException {
        String call = "renameat2(" + from + ", " + to + ", RENAME_NOREPLACE)";
        try (Arena arena = Arena.ofConfined()) {
            Syscall.check(call, SyscallNumber.RENAMEAT2, Syscall.AT_FDCWD, arena.allocateFrom(from.toString()).address(), Syscall.AT_FDCWD,
                    arena.allocateFrom(to.toString()).address(), RENAME_NOREPLACE);
        }
    }
}
