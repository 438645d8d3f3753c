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

    /**
     * The mount points below rootfs now (not rootfs itself, where a container manager may have mounted the image).
     * Before create there must be none: they would be another container's, made in this mount namespace too, or what
     * one left, and create could not tell its own mounts from them at delete.
     */
    static List<String> below(Path rootfs) {
        String real = real(rootfs);
        return MountInfo.readOwn().stream().map(MountInfo::mountPoint).filter(p -> p.startsWith(real + "/")).distinct().toList();
    }

    /**
     * Each mount point (under rootfs, as the plan names it) as mountinfo will list it, the rootfs's symlinks resolved
     * (a bundle under a linked directory), with the number of mounts at it now, before create mounts anything there.
     */
    static List<HostMount> counted(List<String> points, Path rootfs) {
        List<MountInfo> table = MountInfo.readOwn();
        String planned = rootfs.toString();
        String real = real(rootfs);
        return points.stream()
                .map(p -> p.equals(planned) || p.startsWith(planned + "/") ? real + p.substring(planned.length()) : p)
                .map(p -> new HostMount(p, mountsAt(table, p))).toList();
    }

    private static String real(Path rootfs) {
        try {
            return rootfs.toRealPath().toString();
        } catch (IOException e) {
            return rootfs.toString(); // missing: create fails at its first mount, and nothing is mounted
        }
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
