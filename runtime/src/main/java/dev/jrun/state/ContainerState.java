package dev.jrun.state;

import dev.jrun.sys.FileIdentity;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What jrun records about a container in its state directory (state.json). The live status is
 * not stored as truth: {@link StatusProbe} derives it from the system each time.
 *
 * @param pid           the init's pid in jrun's pid namespace, 0 until known
 * @param pidStartTime  the init's start time (clock ticks since boot), to tell it from a reused pid
 * @param creatorPid    the `jrun create` process while the container is being created
 * @param phase         how far create got
 * @param initBinary    the file the init runs until `start` makes it exec the container's program: while
 *                      /proc/PID/exe is this file, the container is created, not running. Once the init is
 *                      known, the init's own sealed memfd copy of jrun-init (docs/security.md); before, and in
 *                      states written by older builds, the jrun-init file on disk
 * @param hostInterface the host end of the container's veth pair, recorded before it is made, or null
 * @param cgroups       the container's cgroups, recorded as soon as they are made, or null (none yet, or a state
 *                      written by a build without cgroup support)
 * @param hostMounts    the mount points create makes in jrun's own mount namespace for a container without one of its
 *                      own, deepest first, recorded before the helper runs: delete and a failed create unmount these and
 *                      nothing else; empty for a container with a mount namespace
 */
public record ContainerState(
        String ociVersion,
        String id,
        long pid,
        long pidStartTime,
        long creatorPid,
        long creatorStartTime,
        String bundle,
        String rootfs,
        String created,
        Map<String, String> annotations,
        Phase phase,
        FileIdentity initBinary,
        HostInterface hostInterface,
        Cgroups cgroups,
        List<HostMount> hostMounts) {

    public ContainerState {
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        hostMounts = hostMounts == null ? List.of() : List.copyOf(hostMounts);
    }

    /** A container with a mount namespace of its own: nothing mounted in jrun's. */
    public ContainerState(String ociVersion, String id, long pid, long pidStartTime, long creatorPid, long creatorStartTime,
                          String bundle, String rootfs, String created, Map<String, String> annotations, Phase phase,
                          FileIdentity initBinary, HostInterface hostInterface, Cgroups cgroups) {
        this(ociVersion, id, pid, pidStartTime, creatorPid, creatorStartTime, bundle, rootfs, created, annotations, phase,
                initBinary, hostInterface, cgroups, List.of());
    }

    /**
     * A mount point create makes in jrun's mount namespace.
     *
     * @param path         absolute, as /proc/self/mountinfo lists it
     * @param mountsBefore how many mounts were stacked at path before create: those are someone else's (say the
     *                     overlay a container manager mounted on the rootfs), and clean-up stops at that depth
     */
    public record HostMount(String path, int mountsBefore) {}

    /**
     * A network interface jrun made on the host side. It is the container's only while all of these
     * still hold: the same name, the ifindex jrun asked the kernel for, in the network namespace with
     * the recorded identity (null netns: jrun's own network namespace).
     */
    public record HostInterface(String name, String netns, int ifindex, FileIdentity netnsIdentity) {}

    /**
     * The container's cgroups.
     *
     * @param directories its cgroup in each hierarchy it was placed in
     * @param made        the directories jrun made for it (absolute, top-down): delete removes these and nothing else
     */
    public record Cgroups(List<Directory> directories, List<String> made) {
        public Cgroups {
            directories = List.copyOf(directories);
            made = List.copyOf(made);
        }

        /** The directories by hierarchy, as {@code cgroup.Freezer#of} takes them. */
        public Map<String, Path> byHierarchy() {
            Map<String, Path> byHierarchy = new LinkedHashMap<>();
            directories.forEach(d -> byHierarchy.put(d.hierarchy(), Path.of(d.path())));
            return byHierarchy;
        }
    }

    /**
     * The container's cgroup in one hierarchy.
     *
     * @param hierarchy "unified" for the v2 tree, else the v1 hierarchy's controllers ("cpu,cpuacct", "name=systemd")
     * @param path      the cgroup's directory, absolute
     */
    public record Directory(String hierarchy, String path) {
        public boolean unified() {
            return hierarchy.equals("unified");
        }
    }

    public ContainerState withInit(long newPid, long newStartTime, FileIdentity newInitBinary) {
        return new ContainerState(ociVersion, id, newPid, newStartTime, creatorPid, creatorStartTime, bundle, rootfs, created,
                annotations, phase, newInitBinary, hostInterface, cgroups, hostMounts);
    }

    public ContainerState withPhase(Phase newPhase) {
        return new ContainerState(ociVersion, id, pid, pidStartTime, creatorPid, creatorStartTime, bundle, rootfs, created,
                annotations, newPhase, initBinary, hostInterface, cgroups, hostMounts);
    }

    public ContainerState withHostInterface(HostInterface newHostInterface) {
        return new ContainerState(ociVersion, id, pid, pidStartTime, creatorPid, creatorStartTime, bundle, rootfs, created,
                annotations, phase, initBinary, newHostInterface, cgroups, hostMounts);
    }

    public ContainerState withCgroups(Cgroups newCgroups) {
        return new ContainerState(ociVersion, id, pid, pidStartTime, creatorPid, creatorStartTime, bundle, rootfs, created,
                annotations, phase, initBinary, hostInterface, newCgroups, hostMounts);
    }

    public ContainerState withHostMounts(List<HostMount> newHostMounts) {
        return new ContainerState(ociVersion, id, pid, pidStartTime, creatorPid, creatorStartTime, bundle, rootfs, created,
                annotations, phase, initBinary, hostInterface, cgroups, newHostMounts);
    }
}
