package dev.jrun.cgroup;

import dev.jrun.sys.ProcFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

/**
 * The few ways jrun touches a cgroup file system, shared by {@link CgroupMover} and {@link CgroupDirectories}: making
 * one cgroup directory, filling a new v1 cpuset cgroup, writing one value, and naming a failure in the kernel's words.
 */
final class CgroupFiles {
    private static final Set<PosixFilePermission> MODE = PosixFilePermissions.fromString("rwxr-xr-x");

    private CgroupFiles() {}

    /** True when it made directory (mode 0755), false when it was there already. */
    static boolean makeDirectory(Path directory) throws Refused {
        try {
            for (int attempt = 1; ; attempt++) {
                try {
                    Files.createDirectory(directory);
                    break;
                } catch (FileAlreadyExistsException e) {
                    if (Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
                        return false;
                    }
                    // Gone between the two looks: another create's clean-up removed the empty shared parent (/jrun)
                    // just then. Make it again; anything else at the path is not a cgroup.
                    if (Files.exists(directory, LinkOption.NOFOLLOW_LINKS) || attempt == 3) {
                        throw new Refused(directory + " exists and is not a cgroup directory");
                    }
                }
            }
        } catch (NoSuchFileException e) {
            throw new ParentGone("cannot make " + directory + ": No such file or directory");
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

    /**
     * Readies a cgroup directory to take a process. A new v1 cpuset cgroup has no CPUs and no memory nodes, and refuses
     * tasks (ENOSPC) until it has some, unless the parent's cgroup.clone_children copied them: an empty one gets its
     * parent's, as runc does. The parent must have its values already, so a path is readied from the top down. One
     * that has values keeps them; an empty one can hold no process, so filling it changes nothing that runs.
     */
    static void fillEmptyCpuset(CgroupMount mount, Path directory) throws Refused {
        if (!(mount instanceof CgroupMount.V1 v1) || !v1.options().contains("cpuset")) {
            return;
        }
        String prefix = v1.options().contains("noprefix") ? "" : "cpuset.";
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
    static void write(Path file, String value) throws IOException {
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE)) {
            out.write(value.getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** The kernel's words for the failure, without the path the JDK repeats in some exceptions' messages. */
    static String reason(IOException e) {
        return switch (e) {
            case AccessDeniedException _ -> "Permission denied";
            case NoSuchFileException _ -> "No such file or directory";
            case DirectoryNotEmptyException _ -> "Directory not empty";
            case FileSystemException fs when fs.getReason() != null -> fs.getReason();
            default -> String.valueOf(e.getMessage());
        };
    }

    /** A cgroup operation the kernel (or the file system's shape) refused; the message says what and why. */
    static class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    /** mkdir found no parent: another container's removal took a shared parent away between two levels. */
    static final class ParentGone extends Refused {
        private static final long serialVersionUID = 1L;

        ParentGone(String reason) {
            super(reason);
        }
    }
}
