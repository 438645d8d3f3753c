package dev.jrun.lifecycle;

import dev.jrun.cgroup.CgroupDirectories;
import dev.jrun.cgroup.CgroupLayout;
import dev.jrun.cgroup.CgroupMount;
import dev.jrun.cgroup.CreatedCgroups;
import dev.jrun.cgroup.Freezer;
import dev.jrun.error.JrunException;
import dev.jrun.state.ContainerState;
import dev.jrun.sys.KnownProcess;
import dev.jrun.sys.NativeException;
import dev.jrun.sys.ProcFiles;
import dev.jrun.sys.ProcessTable;
import dev.jrun.sys.Signals;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * A container's processes as its cgroups hold them: the cgroup is the container's own (create made it or found it
 * empty, and placed the init in it), and everything the init starts stays in it or below, so its members are exactly
 * the container's processes, whatever pid namespace they share. How kill --all finds them, and how delete empties the
 * cgroups before removing them.
 */
final class CgroupMembers {
    private static final Duration EMPTY_TIMEOUT = Duration.ofSeconds(10);

    private final String id;
    private final ContainerState.Cgroups cgroups;
    private final ProcessTable processes;
    private java.util.List<Path> mountPoints;

    private CgroupMembers(String id, ContainerState.Cgroups cgroups, ProcessTable processes) {
        this.id = id;
        this.cgroups = cgroups;
        this.processes = processes;
    }

    /** Empty for a state without cgroups (a create that failed before placing the init, or an older build's). */
    static Optional<CgroupMembers> of(ContainerState state, ProcessTable processes) {
        return state.cgroups() == null || state.cgroups().directories().isEmpty() ? Optional.empty()
                : Optional.of(new CgroupMembers(state.id(), state.cgroups(), processes));
    }

    Map<String, Path> byHierarchy() {
        return cgroups.byHierarchy();
    }

    Optional<Freezer> freezer() {
        return Freezer.of(byHierarchy());
    }

    /** The pids in the container's cgroups and the cgroups below them, in every hierarchy. */
    TreeSet<Long> pids() throws JrunException {
        TreeSet<Long> pids = new TreeSet<>();
        for (Path directory : byHierarchy().values()) {
            requireBelowMountPoint(directory);
            if (!Files.isDirectory(directory)) {
                continue; // removed already by an earlier delete
            }
            try (Stream<Path> tree = Files.walk(directory)) {
                for (Path cgroup : tree.filter(Files::isDirectory).toList()) {
                    ProcFiles.read(cgroup.resolve("cgroup.procs")).lines().map(String::strip).filter(s -> !s.isEmpty())
                            .map(Long::parseLong)
                            // 0: a member outside the pid namespace this jrun runs in, which it cannot name
                            .filter(pid -> pid > 0).forEach(pids::add);
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                if (Files.isDirectory(directory)) {
                    throw new JrunException.SystemFailure("cannot list the processes of container \"" + id + "\" in " + directory
                            + ": " + e.getMessage(), e);
                }
            }
        }
        // A pid of this very runtime in there means the record is wrong: signal nothing rather than ourselves.
        if (pids.contains(ProcessHandle.current().pid())) {
            throw new JrunException.SystemFailure("the cgroups recorded for container \"" + id + "\" (" + byHierarchy().values()
                    + ") hold jrun itself; jrun signals nothing through them", null);
        }
        return pids;
    }

    /**
     * Sends signal to every member: with the processes frozen while the list is read and signalled, where the
     * container has a freezer, so that none forks a new one past the walk (runc does the same).
     *
     * @return how many processes were signalled
     */
    int signalAll(int signal) throws JrunException {
        if (signal == Signals.SIGKILL) {
            Optional<Path> kill = killFile();
            if (kill.isPresent()) {
                return killThrough(kill.get());
            }
        }
        Optional<Freezer> freezer = freezer();
        boolean wasFrozen = freezer.isPresent() && freezer.get().frozen();
        if (freezer.isPresent() && !wasFrozen) {
            freezer.get().freeze();
        }
        int signalled = 0;
        try {
            for (long pid : pids()) {
                Optional<KnownProcess> process = processes.process(pid);
                if (process.isPresent() && send(process.get(), signal)) {
                    signalled++;
                }
            }
        } finally {
            // A paused container stays paused, except for SIGKILL: a frozen process does not die until thawed.
            if (freezer.isPresent() && (!wasFrozen || signal == Signals.SIGKILL)) {
                freezer.get().thaw();
            }
        }
        return signalled;
    }

    /**
     * v2's cgroup.kill (Linux 5.14+) in the container's unified directory: the kernel kills every process of the
     * cgroup and the cgroups below it at once, so none can fork past a list; it holds every process of the
     * container, as create placed the init in every hierarchy.
     */
    private Optional<Path> killFile() {
        Path unified = byHierarchy().get("unified");
        return unified == null ? Optional.empty() : Optional.of(unified.resolve("cgroup.kill")).filter(Files::exists);
    }

    private int killThrough(Path kill) throws JrunException {
        requireBelowMountPoint(kill.getParent());
        int members = pids().size();
        try {
            Files.writeString(kill, "1", java.nio.file.StandardOpenOption.WRITE); // the kernel's file: never created
        } catch (IOException e) {
            throw new JrunException.SystemFailure("cannot kill the processes of container \"" + id + "\" through " + kill + ": "
                    + e.getMessage(), e);
        }
        // A process stopped by the v1 freezer (a paused container on a hybrid host) dies only once thawed.
        Optional<Freezer> freezer = freezer();
        if (freezer.isPresent() && freezer.get().frozen()) {
            freezer.get().thaw();
        }
        return members;
    }

    /** Thaws the container's freezer, if it has one. */
    void thaw() throws JrunException {
        Optional<Freezer> freezer = freezer();
        if (freezer.isPresent()) {
            freezer.get().thaw();
        }
    }

    /**
     * Kills every member and waits until the cgroups are empty, then removes the directories create made, with the
     * cgroups made inside the container's own while it ran.
     */
    void killAndRemove() throws JrunException {
        TreeSet<Long> left = pids();
        if (!left.isEmpty()) {
            // A stopped container's cgroups are usually empty already: only a non-empty one is signalled and listed again.
            signalAll(Signals.SIGKILL);
            left = pids();
        }
        long deadline = System.nanoTime() + EMPTY_TIMEOUT.toNanos();
        long pause = 100_000;
        for (; !left.isEmpty(); left = pids()) {
            if (System.nanoTime() > deadline) {
                throw new JrunException.SystemFailure("processes " + left + " of container \"" + id + "\" survived SIGKILL for "
                        + EMPTY_TIMEOUT.toSeconds() + " s (stuck in the kernel?); its cgroups stay until they are gone", null);
            }
            LockSupport.parkNanos(pause);
            pause = Math.min(pause * 2, 10_000_000);
        }
        List<Path> made = cgroups.made().stream().map(Path::of).toList();
        for (Path own : byHierarchy().values()) {
            if (made.contains(own)) {
                CgroupDirectories.removeBelow(own);
            }
        }
        CgroupDirectories.remove(new CreatedCgroups(made));
        removeDefaultParentIfEmpty();
    }

    /**
     * The default parent, /jrun in each hierarchy, is jrun's own: whichever container made it, it goes with the last
     * container below it. (A parent that only one container's record names stays once a sibling outlived its maker;
     * for this one no record is needed.) rmdir removes it only while it is empty; a create making a cgroup below it
     * meanwhile walks its path again.
     */
    private void removeDefaultParentIfEmpty() {
        for (Path directory : byHierarchy().values()) {
            Path parent = directory.getParent();
            if (parent != null && parent.getFileName() != null
                    && ("/" + parent.getFileName()).equals(dev.jrun.cgroup.CgroupPaths.DEFAULT_PARENT)
                    && mountPoints().contains(parent.getParent())) {
                try {
                    Files.deleteIfExists(parent);
                } catch (IOException e) {
                    // another container's cgroup is below it (EBUSY): it goes with that one
                }
            }
        }
    }

    private boolean send(KnownProcess process, int signal) throws JrunException {
        try {
            return processes.signal(process, signal);
        } catch (NativeException e) {
            throw new JrunException.SystemFailure("cannot signal pid " + process.pid() + " of container \"" + id + "\": "
                    + e.getMessage(), e);
        }
    }

    /** A mount point is a hierarchy's root, which holds every process of the host: never the container's. */
    private void requireBelowMountPoint(Path directory) throws JrunException {
        if (mountPoints().contains(directory) || directory.getNameCount() < 2) {
            throw new JrunException.SystemFailure("the cgroup recorded for container \"" + id + "\" is " + directory
                    + ", the root of a hierarchy; jrun signals nothing through it", null);
        }
    }

    private java.util.List<Path> mountPoints() {
        if (mountPoints == null) {
            mountPoints = CgroupLayout.readOwn().mounts().stream().map(CgroupMount::mountPoint).toList();
        }
        return mountPoints;
    }
}
