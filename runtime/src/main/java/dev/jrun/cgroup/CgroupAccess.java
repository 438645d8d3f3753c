package dev.jrun.cgroup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Whether this process may make a container's cgroups and place a process in them, asked of the kernel with access(2)
 * before create reserves anything. Root may; a user other than root may only inside a cgroup delegated to it (systemd's
 * Delegate=yes), so that create can tell the two apart and keep a rootless container in its caller's cgroups instead
 * (docs/rootless.md).
 */
public final class CgroupAccess {
    private CgroupAccess() {}

    /**
     * The first place among the cgroups' that this process may not write: the nearest existing directory on the way to a
     * cgroup that is still to be made (mkdir needs it), or the cgroup.procs of one that exists.
     */
    public static Optional<Path> firstUnwritable(List<ContainerCgroup> cgroups) {
        for (ContainerCgroup cgroup : cgroups) {
            Path needed = Files.isDirectory(cgroup.directory()) ? cgroup.directory().resolve("cgroup.procs")
                    : nearestExisting(cgroup.directory());
            if (!Files.isWritable(needed)) {
                return Optional.of(needed);
            }
        }
        return Optional.empty();
    }

    private static Path nearestExisting(Path directory) {
        Path dir = directory;
        while (dir.getParent() != null && !Files.isDirectory(dir)) {
            dir = dir.getParent();
        }
        return dir;
    }
}
