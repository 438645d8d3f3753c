package dev.jrun.cgroup;

import dev.jrun.error.JrunException;
import dev.jrun.sys.Bpf;
import dev.jrun.sys.Errno;
import dev.jrun.sys.NativeException;
import dev.jrun.sys.ProcFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Carries out a {@link CgroupPlan} for a container's init, in create's order: the directories made, found empty,
 * the v2 controllers the limits need delegated, the limits written (on v2 the device program attached), and only then
 * the init placed, so that it never runs a moment without them.
 */
public final class CgroupPlacement {
    private final CgroupPlan plan;
    private final CgroupDirectories directories;

    public CgroupPlacement(CgroupPlan plan) {
        this.plan = plan;
        this.directories = new CgroupDirectories(plan.cgroups());
    }

    public CgroupPlan plan() {
        return plan;
    }

    /**
     * Makes the missing directories and refuses a container cgroup that create did not make itself (it holds others'
     * processes, or is another container's: the same id under another --root shares the default /jrun/ID, and a
     * cgroupsPath may be reused), removing again what it made. Both before the caller records the cgroups as the
     * container's ({@link #limitAndJoin} comes after): kill --all, delete and a failed create's clean-up kill every
     * process in the recorded cgroups, so no two containers may ever record one cgroup, and no stranger may be in it.
     */
    public CreatedCgroups make() throws JrunException.SystemFailure {
        CreatedCgroups made = directories.create();
        try {
            for (ContainerCgroup cgroup : plan.cgroups()) {
                requireEmpty(cgroup); // first in every hierarchy: whose processes is the more useful answer
            }
            for (ContainerCgroup cgroup : plan.cgroups()) {
                requireMadeNow(cgroup, made);
            }
        } catch (JrunException.SystemFailure e) {
            try {
                CgroupDirectories.remove(made);
            } catch (JrunException.SystemFailure notRemoved) {
                e.addSuppressed(notRemoved);
            }
            throw e;
        }
        return made;
    }

    /** Writes the limits and places pid in every hierarchy: what {@link #make} made and found empty. */
    public void limitAndJoin(long pid) throws JrunException.SystemFailure {
        if (plan.v1()) {
            ResourceWriter.writeV1(v1Directories(), plan.resources().writes());
        } else if (!plan.resources().writes().isEmpty() || plan.resources().devices().isPresent()) {
            ContainerCgroup unified = plan.unified().orElseThrow(() -> new JrunException.SystemFailure(
                    "cannot apply linux.resources: the runtime is in no cgroup v2 tree it can reach (is cgroup2 mounted?)", null));
            delegate(unified.directory(), unified.mount().mountPoint(), plan.resources().controllers());
            ResourceWriter.writeV2(unified.directory(), plan.resources().writes());
            if (plan.resources().devices().isPresent()) {
                fenceDevices(unified.directory(), plan.resources().devices().get());
            }
        }
        directories.join(pid);
    }

    /**
     * v2's device rules: the program attached to the container's directory, so that the init is fenced from the
     * moment it joins. Nothing to undo on failure: a program attached goes with the cgroup, which clean-up removes.
     */
    static void fenceDevices(Path directory, DeviceProgram program) throws JrunException.SystemFailure {
        try {
            Bpf.attachDeviceProgram(program.instructions(), "jrun_devices", directory);
        } catch (NativeException e) {
            throw new JrunException.SystemFailure("cannot apply linux.resources.devices on cgroup v2: " + e.getMessage()
                    + switch (e.errno()) {
                        case Errno.EPERM, Errno.EACCES -> " (loading a BPF program needs CAP_BPF or CAP_SYS_ADMIN in the"
                                + " initial user namespace, and before Linux 5.11 enough RLIMIT_MEMLOCK)";
                        case Errno.EINVAL, Errno.ENOSYS, Errno.EOPNOTSUPP -> " (cgroup device programs need a kernel with"
                                + " CONFIG_CGROUP_BPF, Linux 5.1 or later for jrun's 32-bit comparisons)";
                        default -> "";
                    }, e);
        }
    }

    private static void requireMadeNow(ContainerCgroup cgroup, CreatedCgroups made) throws JrunException.SystemFailure {
        if (!made.made().contains(cgroup.directory())) {
            throw new JrunException.SystemFailure("the container's cgroup " + cgroup.directory() + " (" + cgroup.hierarchy()
                    + ") exists already: another container's (one with the same id under another --root, or with the same"
                    + " linux.cgroupsPath), or left by a create or delete that did not finish. A container's cgroup must be"
                    + " made by its own create, or deleting one container would kill the other's processes: delete that"
                    + " container, remove the empty directory (rmdir " + cgroup.directory() + "), or choose another"
                    + " linux.cgroupsPath", null);
        }
    }

    private static void requireEmpty(ContainerCgroup cgroup) throws JrunException.SystemFailure {
        Path procs = cgroup.directory().resolve("cgroup.procs");
        try {
            String members = ProcFiles.read(procs).strip();
            if (!members.isEmpty()) {
                throw new JrunException.SystemFailure("the container's cgroup " + cgroup.directory() + " (" + cgroup.hierarchy()
                        + ") already holds processes (" + String.join(", ", members.lines().limit(5).toList())
                        + (members.lines().count() > 5 ? ", …" : "") + "): a container's cgroup must be its own, or kill and"
                        + " delete would reach those processes too; choose another linux.cgroupsPath", null);
            }
        } catch (IOException e) {
            throw new JrunException.SystemFailure("cannot read " + procs + ": " + CgroupFiles.reason(e), e);
        }
    }

    /** v1: each controller's directory, by the controllers its hierarchy holds ("cpu,cpuacct" gives both). */
    private Map<String, Path> v1Directories() {
        Map<String, Path> byController = new HashMap<>();
        for (ContainerCgroup cgroup : plan.cgroups()) {
            if (cgroup.mount() instanceof CgroupMount.V1 v1) {
                for (String option : v1.options()) {
                    byController.putIfAbsent(option, cgroup.directory());
                }
            }
        }
        return byController;
    }

    /**
     * v2 hands a controller to a cgroup only through its parent's cgroup.subtree_control, level by level from the
     * root: each missing one is enabled on the way down, and nothing else is (a host's other cgroups keep their
     * controllers as they are).
     */
    static void delegate(Path directory, Path mountPoint, Set<String> controllers) throws JrunException.SystemFailure {
        if (controllers.isEmpty()) {
            return;
        }
        List<Path> parents = new ArrayList<>();
        for (Path p = directory.getParent(); p.startsWith(mountPoint); p = p.getParent()) {
            parents.addFirst(p);
        }
        for (Path parent : parents) {
            Path control = parent.resolve("cgroup.subtree_control");
            try {
                Set<String> available = Set.of(ProcFiles.read(parent.resolve("cgroup.controllers")).strip().split("\\s+"));
                Set<String> enabled = Set.of(ProcFiles.read(control).strip().split("\\s+"));
                for (String controller : controllers) {
                    if (enabled.contains(controller)) {
                        continue;
                    }
                    if (!available.contains(controller)) {
                        throw new JrunException.SystemFailure("cannot apply linux.resources: the cgroup v2 controller "
                                + controller + " is not available in " + parent + " (its cgroup.controllers: "
                                + String.join(" ", available) + "); enable it in the parent's cgroup.subtree_control, or leave"
                                + " out the settings that need it", null);
                    }
                    CgroupFiles.write(control, "+" + controller);
                }
            } catch (IOException e) {
                throw new JrunException.SystemFailure("cannot enable the cgroup v2 controllers " + controllers + " in " + control
                        + ": " + CgroupFiles.reason(e) + (CgroupFiles.reason(e).contains("busy") ? " (v2 lets a cgroup hand"
                        + " controllers down only while it holds no process itself: choose a linux.cgroupsPath whose parents"
                        + " hold none)" : ""), e);
            }
        }
    }
}
