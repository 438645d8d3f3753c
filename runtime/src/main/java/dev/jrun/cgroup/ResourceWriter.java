package dev.jrun.cgroup;

import dev.jrun.error.JrunException;
import dev.jrun.sys.Errno;
import dev.jrun.sys.FileDescriptors;
import dev.jrun.sys.NativeException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Applies {@link ResourceWrites} to a container's cgroup: each value with one write(2) of its exact bytes into the
 * existing file (never created, never truncated), in the list's order. Every file is looked for before the first
 * write, so a controller that is missing (not enabled for the cgroup, not mounted) fails with nothing changed; a value
 * the kernel refuses fails naming the file, the value and the spec setting it came from.
 */
public final class ResourceWriter {
    private static final String WHAT = "cannot apply linux.resources: ";

    private ResourceWriter() {}

    /** cgroup v2: every file is in the cgroup's one directory. */
    public static void writeV2(Path directory, List<ControllerWrite> writes) throws JrunException.SystemFailure {
        List<Target> targets = new ArrayList<>();
        for (ControllerWrite write : writes) {
            targets.add(new Target(directory.resolve(write.file()), write));
        }
        apply(targets);
    }

    /** cgroup v1: each controller's files are in the cgroup's directory of that controller's hierarchy. */
    public static void writeV1(Map<String, Path> directories, List<ControllerWrite> writes) throws JrunException.SystemFailure {
        List<Target> targets = new ArrayList<>();
        for (ControllerWrite write : writes) {
            Path directory = directories.get(write.controller());
            if (directory == null) {
                throw new JrunException.SystemFailure(WHAT + write.source() + " needs the cgroup v1 " + write.controller()
                        + " controller, and the container has no cgroup in a hierarchy of it: mount the " + write.controller()
                        + " hierarchy or leave the setting out", null);
            }
            targets.add(new Target(directory.resolve(write.file()), write));
        }
        apply(targets);
    }

    private static void apply(List<Target> targets) throws JrunException.SystemFailure {
        for (Target target : targets) {
            if (!Files.exists(target.file(), LinkOption.NOFOLLOW_LINKS)) {
                throw refused(target, Errno.ENOENT);
            }
        }
        for (Target target : targets) {
            write(target);
        }
    }

    private static void write(Target target) throws JrunException.SystemFailure {
        byte[] bytes = target.write().bytes();
        int fd;
        try {
            fd = FileDescriptors.openWriteOnly(target.file());
        } catch (NativeException e) {
            throw refused(target, e.errno());
        }
        try {
            FileDescriptors.writeFully(fd, bytes, 0, bytes.length, target.file().toString());
        } catch (NativeException e) {
            throw refused(target, e.errno());
        } finally {
            FileDescriptors.close(fd);
        }
    }

    private static JrunException.SystemFailure refused(Target target, int errno) {
        return new JrunException.SystemFailure(refusal(target.write(), target.file(), errno), null);
    }

    /** What the user reads when the kernel refuses write at file with errno. */
    static String refusal(ControllerWrite write, Path file, int errno) {
        return WHAT + "writing \"" + write.value() + "\" to " + file + " (from " + write.source() + ") failed: "
                + Errno.describe(errno) + hint(write, errno);
    }

    private static String hint(ControllerWrite write, int errno) {
        return switch (errno) {
            case Errno.ENOENT -> "; the cgroup has no such file: the " + write.controller() + " controller is not enabled for it"
                    + " (on v2, in the parent's cgroup.subtree_control) or this kernel does not have the setting";
            case Errno.EINVAL, Errno.ERANGE -> "; the kernel does not accept this value for " + write.file()
                    + (write.file().equals("memory.limit_in_bytes") ? " (cgroup v1 keeps it at most memory.memsw.limit_in_bytes:"
                    + " set the memory+swap limit with it)" : "");
            case Errno.EBUSY -> "; the cgroup's present state forbids the change (a memory limit below what is in use,"
                    + " CPUs or nodes outside the parent's cpuset or still used by a child)";
            case Errno.EACCES, Errno.EPERM, Errno.EROFS -> "; jrun may not write it (a rootless jrun needs a cgroup"
                    + " delegated to its user)";
            case Errno.ENOSPC -> "; the parent cgroup has no room for it (its own limit, or an empty v1 cpuset)";
            default -> "";
        };
    }

    private record Target(Path file, ControllerWrite write) {}
}
