package dev.jrun.cgroup;

import dev.jrun.cgroup.CgroupFiles.ParentGone;
import dev.jrun.cgroup.CgroupFiles.Refused;
import dev.jrun.error.JrunException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One container's cgroup directories ({@link CgroupPaths}): makes them, places processes in them, and removes exactly
 * the directories it made.
 *
 * <p>A cgroup directory is removed with rmdir(2) only, never by deleting what is inside (its files are the kernel's),
 * and only if jrun made it: a parent that existed before (a pod's, a slice, /jrun made by an earlier container) is
 * never the container's to remove. A parent jrun made that another container has since made a cgroup under is left
 * too, and reported as such.
 */
public final class CgroupDirectories {
    /** How often a path is walked again when another container's removal took a shared parent away meanwhile. */
    private static final int ATTEMPTS = 3;

    private final List<ContainerCgroup> cgroups;

    public CgroupDirectories(List<ContainerCgroup> cgroups) {
        this.cgroups = List.copyOf(cgroups);
    }

    public List<ContainerCgroup> cgroups() {
        return cgroups;
    }

    /**
     * Makes every level of each directory that is missing (mode 0755). In a v1 cpuset hierarchy every level on the way
     * that has no CPUs or memory nodes, made now or found, gets its parent's. On failure, what this call made is removed again and the error names the directory and the reason.
     */
    public CreatedCgroups create() throws JrunException.SystemFailure {
        List<Path> made = new ArrayList<>();
        try {
            for (ContainerCgroup cgroup : cgroups) {
                make(cgroup, made);
            }
        } catch (Refused e) {
            String undone = undo(made);
            throw new JrunException.SystemFailure("cannot make the container's cgroups: " + e.getMessage()
                    + undone, null);
        }
        return new CreatedCgroups(made);
    }

    private static void make(ContainerCgroup cgroup, List<Path> made) throws Refused {
        Path top = cgroup.mount().mountPoint();
        for (int attempt = 1; ; attempt++) {
            try {
                Path directory = top;
                for (Path component : top.relativize(cgroup.directory())) {
                    directory = directory.resolve(component);
                    if (CgroupFiles.makeDirectory(directory)) {
                        made.add(directory);
                    }
                    // Also a level that was there: a parent made with a plain mkdir (a pod's) has no CPUs yet, and
                    // a cpuset cgroup below an empty one can get none (runc fills such parents too).
                    CgroupFiles.fillEmptyCpuset(cgroup.mount(), directory);
                }
                return;
            } catch (ParentGone e) {
                if (attempt == ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** Removes what a failed create made; the words to add to its error when that fails too. */
    private static String undo(List<Path> made) {
        Removal removal = removeAll(new CreatedCgroups(made));
        return removal.failures().isEmpty() ? ""
                : "; and what it made could not all be removed: " + String.join("; ", removal.failures());
    }

    /** Places process pid in the container's cgroup in every hierarchy (cgroup.procs: all its threads). */
    public void join(long pid) throws JrunException.SystemFailure {
        Map<String, Path> byHierarchy = new java.util.LinkedHashMap<>();
        cgroups.forEach(cgroup -> byHierarchy.put(cgroup.hierarchy(), cgroup.directory()));
        ExistingCgroups.join(pid, byHierarchy);
    }

    /**
     * What removing a container's cgroups did.
     *
     * @param removed  the directories removed now
     * @param kept     directories jrun made that now hold another cgroup (a later container's), so are left
     * @param failures one line per directory that could not be removed, with the reason
     */
    public record Removal(List<Path> removed, List<Path> kept, List<String> failures) {
        public Removal {
            removed = List.copyOf(removed);
            kept = List.copyOf(kept);
            failures = List.copyOf(failures);
        }
    }

    /**
     * Removes the directories in made, deepest first, with rmdir. One already gone is passed over; one that cannot be
     * removed (still holding a process: EBUSY) does not stop the others, and the error at the end names each.
     */
    public static Removal remove(CreatedCgroups made) throws JrunException.SystemFailure {
        Removal removal = removeAll(made);
        if (!removal.failures().isEmpty()) {
            throw new JrunException.SystemFailure("cannot remove all of the container's cgroups: "
                    + String.join("; ", removal.failures())
                    + " (a cgroup still holding processes is removed once they have exited: kill them, then delete again)",
                    null);
        }
        return removal;
    }

    /**
     * Removes the cgroups below a container's own cgroup, deepest first, with rmdir: made inside it while the container
     * ran (systemd in the container, a nested runtime, a sub-cgroup for `exec --cgroup`), so they are the container's,
     * and runc's delete takes them too. Only for a cgroup jrun made for the container (what was below one it found is
     * not known to be the container's), once no process is left in it or below it.
     */
    public static void removeBelow(Path containerCgroup) throws JrunException.SystemFailure {
        List<Path> below;
        try (var tree = Files.walk(containerCgroup)) {
            below = tree.filter(p -> !p.equals(containerCgroup) && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .sorted(java.util.Comparator.comparingInt(Path::getNameCount).reversed()).toList();
        } catch (NoSuchFileException | java.io.UncheckedIOException e) {
            return; // gone already, or going: rmdir of the container's own cgroup then says what is wrong
        } catch (IOException e) {
            throw new JrunException.SystemFailure("cannot list the cgroups below " + containerCgroup + ": " + CgroupFiles.reason(e), e);
        }
        List<String> failures = new ArrayList<>();
        for (Path directory : below) {
            try {
                Files.delete(directory); // rmdir(2), as for the container's own cgroup
            } catch (NoSuchFileException e) {
                // removed meanwhile
            } catch (IOException e) {
                failures.add(directory + ": " + CgroupFiles.reason(e));
            }
        }
        if (!failures.isEmpty()) {
            throw new JrunException.SystemFailure("cannot remove the cgroups made inside the container's cgroup "
                    + containerCgroup + ": " + String.join("; ", failures), null);
        }
    }

    private static Removal removeAll(CreatedCgroups made) {
        List<Path> removed = new ArrayList<>();
        List<Path> kept = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Path directory : made.made().reversed()) {
            try {
                Files.delete(directory); // rmdir(2): it is a directory, never emptied first
                removed.add(directory);
            } catch (NoSuchFileException e) {
                // removed already (an earlier delete that stopped half-way): nothing to do
            } catch (IOException e) {
                Optional<Path> child = childCgroup(directory);
                if (child.isEmpty()) {
                    failures.add(directory + ": " + CgroupFiles.reason(e));
                } else if (made.made().contains(child.get())) {
                    failures.add(directory + ": left, as it still holds " + child.get());
                } else {
                    kept.add(directory);
                }
            }
        }
        return new Removal(removed, kept, failures);
    }

    /** A directory below directory: a child cgroup, which keeps it whatever its own processes do. */
    private static Optional<Path> childCgroup(Path directory) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    return Optional.of(entry);
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
