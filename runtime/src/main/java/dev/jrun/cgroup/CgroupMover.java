package dev.jrun.cgroup;

import dev.jrun.cgroup.CgroupFiles.Refused;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Moves a process into a cgroup named name at the top of every hierarchy it is in: &lt;mount point&gt;/name for each v1
 * hierarchy (named ones such as name=systemd too) and for the v2 tree, as runc's cgroupfs driver places containers.
 * So a process started inside a caller's cgroup (a pod, a systemd unit) survives that cgroup's teardown.
 *
 * <p>A hierarchy the process cannot move in (not mounted in this mount namespace, mounted read-only, or the kernel
 * refuses: EACCES, EPERM, EBUSY, EOPNOTSUPP, …) is left as it is and reported with the reason, never thrown. The
 * cgroup is a leaf made for the process, so v2's rule that a cgroup with processes cannot hand controllers to
 * children does not stand in the way.
 */
public final class CgroupMover {
        private CgroupMover() {}

    /** Moves this process (the JVM, every thread) into name in each of its hierarchies. */
    public static MoveResult moveSelfTo(String name) {
        return move(ProcessHandle.current().pid(), name);
    }

    /** Moves process pid (all its threads) into name in each of its hierarchies, as this process's mounts reach them. */
    public static MoveResult move(long pid, String name) {
        requireOneComponent(name);
        List<Membership> memberships;
        try {
            memberships = Membership.of(pid);
        } catch (IOException e) {
            return new MoveResult(List.of(), List.of(new MoveResult.Skipped("every hierarchy", "its cgroups",
                    "cannot read /proc/" + pid + "/cgroup: " + CgroupFiles.reason(e))));
        }
        return move(pid, name, CgroupLayout.readOwn(), memberships);
    }

    /** Moves pid into name in each of memberships' hierarchies, as layout says they are mounted. */
    public static MoveResult move(long pid, String name, CgroupLayout layout, List<Membership> memberships) {
        requireOneComponent(name);
        List<MoveResult.Moved> moved = new ArrayList<>();
        List<MoveResult.Skipped> skipped = new ArrayList<>();
        for (Membership membership : memberships) {
            switch (moveIn(pid, name, layout, membership)) {
                case MoveResult.Moved m -> moved.add(m);
                case MoveResult.Skipped s -> skipped.add(s);
            }
        }
        return new MoveResult(moved, skipped);
    }

    private static MoveResult.Outcome moveIn(long pid, String name, CgroupLayout layout, Membership membership) {
        Optional<CgroupMount> found = layout.mountOf(membership);
        if (found.isEmpty()) {
            return skipped(membership, "not mounted in this mount namespace");
        }
        CgroupMount mount = found.get();
        if (mount.readOnly()) {
            return skipped(membership, "mounted read-only at " + mount.mountPoint());
        }
        Path directory = mount.mountPoint().resolve(name);
        boolean created;
        try {
            created = CgroupFiles.makeDirectory(directory);
        } catch (Refused e) {
            return skipped(membership, e.getMessage());
        }
        try {
            populate(pid, mount, directory, created);
            return new MoveResult.Moved(membership.hierarchy(), membership.path(), directory, created);
        } catch (Refused e) {
            if (created) {
                try {
                    Files.delete(directory); // rmdir: a cgroup the mover made and could not use is not left behind
                } catch (IOException ignored) {
                    // another process moved in meanwhile, or it is gone: not ours to insist on either way
                }
            }
            return skipped(membership, e.getMessage());
        }
    }

    private static MoveResult.Skipped skipped(Membership membership, String reason) {
        return new MoveResult.Skipped(membership.hierarchy(), membership.path(), reason);
    }

    private static void populate(long pid, CgroupMount mount, Path directory, boolean created) throws Refused {
        if (created) {
            CgroupFiles.fillEmptyCpuset(mount, directory);
        }
        Path procs = directory.resolve("cgroup.procs");
        try {
            CgroupFiles.write(procs, Long.toString(pid)); // the real pid: "0" would move the writer, not the process named
        } catch (IOException e) {
            throw new Refused(procs + " refused pid " + pid + ": " + CgroupFiles.reason(e));
        }
    }

    private static void requireOneComponent(String name) {
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("/") || name.contains("\0")) {
            throw new IllegalArgumentException("a cgroup name is one path component, not \"" + name + "\"");
        }
    }
}
