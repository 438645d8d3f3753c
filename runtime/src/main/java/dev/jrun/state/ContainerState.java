package dev.jrun.state;

import java.util.Map;

/**
 * What jrun records about a container in its state directory (state.json). The live status is
 * not stored as truth: {@link StatusProbe} derives it from the system each time.
 *
 * @param pid          the init's pid in jrun's pid namespace, 0 until known
 * @param pidStartTime the init's start time (clock ticks since boot), to tell it from a reused pid
 * @param creatorPid   the `jrun create` process while the container is being created
 * @param phase        CREATING until create has finished, then CREATED
 * @param hostInterface the host end of the container's veth pair, recorded before it is made, or null
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
        Status phase,
        HostInterface hostInterface) {

    public ContainerState {
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    /** A network interface on the host side, and the network namespace file it lives in (null: jrun's own). */
    public record HostInterface(String name, String netns) {}

    public ContainerState withInit(long newPid, long newStartTime) {
        return new ContainerState(ociVersion, id, newPid, newStartTime, creatorPid, creatorStartTime, bundle, rootfs, created,
                annotations, phase, hostInterface);
    }

    public ContainerState withPhase(Status newPhase) {
        return new ContainerState(ociVersion, id, pid, pidStartTime, creatorPid, creatorStartTime, bundle, rootfs, created,
                annotations, newPhase, hostInterface);
    }

    public ContainerState withHostInterface(HostInterface newHostInterface) {
        return new ContainerState(ociVersion, id, pid, pidStartTime, creatorPid, creatorStartTime, bundle, rootfs, created,
                annotations, phase, newHostInterface);
    }
}
