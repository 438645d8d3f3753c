package dev.jrun.cgroup;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** A cgroup hierarchy mounted in this process's mount namespace: one `cgroup` or `cgroup2` line of /proc/self/mountinfo. */
public sealed interface CgroupMount {
    /** Where it is mounted, such as /sys/fs/cgroup/memory. */
    Path mountPoint();

    /**
     * The cgroup shown at the mount point, as a path in the hierarchy: "/", unless the mount is a bind of a
     * sub-cgroup or was made outside the reader's cgroup namespace (a container's /sys/fs/cgroup without cgroupns).
     */
    String root();

    /** Mounted read-only (the mount or its super block): nothing can be made or moved through it. */
    boolean readOnly();

    /**
     * The directory of a cgroup given as /proc/PID/cgroup writes it, or empty when this mount does not show it
     * (it lies outside the mount's root, or outside the reader's cgroup namespace: "/../…").
     */
    default Optional<Path> directoryOf(String cgroupPath) {
        if (!cgroupPath.startsWith("/") || List.of(cgroupPath.split("/")).contains("..")) {
            return Optional.empty();
        }
        String root = root().equals("/") ? "" : root();
        if (!cgroupPath.equals(root) && !cgroupPath.startsWith(root + "/")) {
            return Optional.empty();
        }
        String below = cgroupPath.substring(root.length());
        return Optional.of(below.length() <= 1 ? mountPoint() : mountPoint().resolve(below.substring(1)));
    }

    /**
     * A cgroup v1 hierarchy.
     *
     * @param options its super options without rw and ro: the controllers ("cpu", "cpuacct"), "name=systemd" for a named
     *                hierarchy, and flags such as "xattr". They identify the hierarchy, and mounting it again must repeat
     *                them (the kernel then reuses the hierarchy instead of refusing with EBUSY).
     */
    record V1(Path mountPoint, String root, boolean readOnly, List<String> options) implements CgroupMount {
        public V1 {
            options = List.copyOf(options);
        }

        /**
         * Whether this is the hierarchy that /proc/PID/cgroup names by these controllers (and "name=…"): a controller
         * or a name belongs to one hierarchy only, so holding them all identifies it.
         */
        public boolean holds(List<String> controllers) {
            return !controllers.isEmpty() && options.containsAll(controllers);
        }
    }

    /** The cgroup v2 (unified) hierarchy. */
    record Unified(Path mountPoint, String root, boolean readOnly) implements CgroupMount {}
}
