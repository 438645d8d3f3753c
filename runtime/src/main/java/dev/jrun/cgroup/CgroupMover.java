package dev.jrun.cgroup;

import dev.jrun.sys.ProcFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

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
    private static final Set<PosixFilePermission> MODE = PosixFilePermissions.fromString("rwxr-xr-x");

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
                    "cannot read /proc/" + pid + "/cgroup: " + reason(e))));
        }
        return move(pid, name, CgroupLayout.readOwn(), memberships);
    }

    static MoveResult move(long pid, String name, CgroupLayout layout, List<Membership> memberships) {
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
            created = makeDirectory(directory);
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

    /** True when it made directory (mode 0755), false when it was there already. */
    private static boolean makeDirectory(Path directory) throws Refused {
        try {
            Files.createDirectory(directory);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
                throw new Refused(directory + " exists and is not a cgroup directory");
            }
            return false;
        } catch (IOException e) {
            throw new Refused("cannot make " + directory + ": " + reason(e));
        }
        try {
            Files.setPosixFilePermissions(directory, MODE); // mkdir(2) applied the umask
        } catch (IOException e) {
            throw new Refused("cannot set mode 0755 on " + directory + ": " + reason(e));
        }
        return true;
    }

    private static void populate(long pid, CgroupMount mount, Path directory, boolean created) throws Refused {
        if (created && mount instanceof CgroupMount.V1 v1 && v1.options().contains("cpuset")) {
            inheritCpuset(v1, directory);
        }
        Path procs = directory.resolve("cgroup.procs");
        try {
            write(procs, Long.toString(pid)); // the real pid: "0" would move the writer, not the process named
        } catch (IOException e) {
            throw new Refused(procs + " refused pid " + pid + ": " + reason(e));
        }
    }

    /**
     * A new v1 cpuset cgroup has no CPUs and no memory nodes, and refuses tasks (ENOSPC) until it has some, unless the
     * parent's cgroup.clone_children copied them: an empty one gets its parent's, as runc does.
     */
    private static void inheritCpuset(CgroupMount.V1 mount, Path directory) throws Refused {
        String prefix = mount.options().contains("noprefix") ? "" : "cpuset.";
        for (String file : List.of(prefix + "cpus", prefix + "mems")) {
            Path own = directory.resolve(file);
            Path parents = directory.getParent().resolve(file);
            try {
                if (ProcFiles.read(own).isBlank()) {
                    write(own, ProcFiles.read(parents).strip());
                }
            } catch (IOException e) {
                throw new Refused("cannot give " + own + " the value of " + parents + ": " + reason(e));
            }
        }
    }

    /** One write(2) to an existing cgroup file: no O_CREAT, no O_TRUNC. */
    private static void write(Path file, String value) throws IOException {
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE)) {
            out.write(value.getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** The kernel's words for the failure, without the path the JDK repeats in some exceptions' messages. */
    private static String reason(IOException e) {
        return switch (e) {
            case AccessDeniedException _ -> "Permission denied";
            case NoSuchFileException _ -> "No such file or directory";
            case FileSystemException fs when fs.getReason() != null -> fs.getReason();
            default -> String.valueOf(e.getMessage());
        };
    }

    private static void requireOneComponent(String name) {
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("/") || name.contains("\0")) {
            throw new IllegalArgumentException("a cgroup name is one path component, not \"" + name + "\"");
        }
    }

    /** Why one hierarchy is skipped: its message is the reason logged. */
    private static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String reason) {
            super(reason, null, false, false);
        }
    }
}
