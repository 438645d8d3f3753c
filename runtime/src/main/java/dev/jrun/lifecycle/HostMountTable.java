package dev.jrun.lifecycle;

import dev.jrun.spec.host.MountInfo;
import dev.jrun.state.ContainerState.HostMount;
import dev.jrun.sys.Errno;
import dev.jrun.sys.Syscall;
import dev.jrun.sys.SyscallNumber;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The mounts create makes in jrun's own mount namespace for a container without one of its own (docs/spec.md,
 * "Without a mount namespace"): counted before the helper makes them, and unmounted after, each at its exact mount
 * point, deepest first, only down to the depth counted before: a mount that was there first (the overlay a container
 * manager mounted on the rootfs) is someone else's and stays.
 */
final class HostMountTable {
    private static final int MNT_DETACH = 2;
    private static final int UMOUNT_NOFOLLOW = 8;

    private HostMountTable() {}

    /** Each mount point with the number of mounts at it now, before create mounts anything there. */
    static List<HostMount> counted(List<String> points) {
        List<MountInfo> table = MountInfo.readOwn();
        return points.stream().map(p -> new HostMount(p, mountsAt(table, p))).toList();
    }

    /**
     * Unmounts what create added at each point, in the recorded order (deepest first); MNT_DETACH takes whatever is
     * mounted beneath a point with it. Returns what could not be removed, one line each; empty when all went.
     */
    static List<String> remove(List<HostMount> mounts) {
        List<String> problems = new ArrayList<>();
        for (HostMount mount : mounts) {
            int added = mountsAt(MountInfo.readOwn(), mount.path()) - mount.mountsBefore();
            for (int i = 0; i < added; i++) {
                String problem = unmountTop(mount.path());
                if (problem != null) {
                    problems.add(problem);
                    break;
                }
            }
        }
        return problems;
    }

    /** The topmost mount at path, never through a symlink: what create mounted there, or null if it went. */
    private static String unmountTop(String path) {
        try {
            // The container may have replaced a directory on its path with a symlink out of the rootfs before it died.
            if (!Path.of(path).toRealPath().toString().equals(path)) {
                return path + " now leads through a symlink to " + Path.of(path).toRealPath() + "; jrun left the mount there";
            }
        } catch (IOException e) {
            return "cannot resolve " + path + " (" + e.getMessage() + "); jrun left the mount there";
        }
        try (Arena arena = Arena.ofConfined()) {
            long result = Syscall.call(SyscallNumber.UMOUNT2, arena.allocateFrom(path).address(), MNT_DETACH | UMOUNT_NOFOLLOW);
            return result < 0 ? "umount2(" + path + ", MNT_DETACH) failed: " + Errno.describe(Syscall.errno(result)) : null;
        }
    }

    private static int mountsAt(List<MountInfo> table, String path) {
        return (int) table.stream().filter(m -> m.mountPoint().equals(path)).count();
    }
}
