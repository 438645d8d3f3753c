package dev.jrun.lifecycle;

import dev.jrun.error.JrunException;
import dev.jrun.netlink.ChosenIndex;
import dev.jrun.netlink.NetlinkException;
import dev.jrun.netlink.NetnsIdentity;
import dev.jrun.network.VethNetwork;
import dev.jrun.plan.Stage;
import dev.jrun.spec.model.JrunExtension;
import dev.jrun.state.ContainerState;
import dev.jrun.sys.FileIdentity;
import java.nio.file.Path;

/**
 * The host end of a container's veth pair: recorded before it exists, made exactly as recorded,
 * removed only while it is provably the one jrun made. The proof is the record: the network
 * namespace's identity (not its path, which can come to name another), the name, and an interface
 * index jrun chose and the kernel granted (not the name, which any interface can bear). See
 * docs/networking.md.
 */
final class HostNetwork {
    /** jrun's own network namespace, where the host end goes without hostNetns. */
    private static final Path OWN_NETNS = Path.of("/proc/self/ns/net");

    private HostNetwork() {}

    /** What create records in state.json before the pair is made: the name, the namespace and its identity, the index to ask for. */
    static ContainerState.HostInterface reserve(JrunExtension.Veth veth, String containerId) throws JrunException {
        Path netnsFile = veth.hostNetns() == null ? OWN_NETNS : Path.of(veth.hostNetns());
        FileIdentity identity = FileIdentity.of(netnsFile).orElseThrow(() -> new JrunException.StageFailed(Stage.NETWORK.description(),
                "cannot stat " + netnsFile + ", the network namespace the host end goes into (does it still exist?); nothing was made", null));
        int index;
        try {
            index = ChosenIndex.pick();
        } catch (NetlinkException e) {
            throw new JrunException.StageFailed(Stage.NETWORK.description(), e.getMessage() + "; nothing was made", e);
        }
        return new ContainerState.HostInterface(VethNetwork.hostNameOf(veth, containerId), veth.hostNetns(), index, identity);
    }

    /**
     * Makes the pair as recorded. A NetlinkException whose operation starts with "create veth" means the
     * pair was not made (the name or index is someone else's, or the namespace was replaced), so the
     * record must be dropped, not cleaned up.
     */
    static void setUp(JrunExtension.Veth veth, ContainerState.HostInterface host, long initPid) throws NetlinkException {
        VethNetwork.setUp(veth, hostEnd(host), initPid);
    }

    /**
     * Removes the host end if it is still the container's; leaves anything else alone. A record
     * without a chosen index or a namespace identity (written by a jrun from before them) proves
     * nothing, so it is never acted upon: its pair goes when the container's network namespace dies.
     *
     * @return true when an interface was removed
     */
    static boolean remove(ContainerState state) throws JrunException {
        ContainerState.HostInterface host = state.hostInterface();
        if (host == null || host.ifindex() <= 0 || host.netnsIdentity() == null) {
            return false;
        }
        try {
            return VethNetwork.tearDown(hostEnd(host)).outcome() == VethNetwork.Removal.Outcome.REMOVED;
        } catch (NetlinkException e) {
            throw new JrunException.SystemFailure("cannot remove the host end " + host.name() + " of container \"" + state.id()
                    + "\": " + e.getMessage() + "; the state is kept, run delete again", e);
        }
    }

    /** On a path that is failing already: the original error is what the user needs to see. */
    static void removeQuietly(ContainerState state) {
        try {
            remove(state);
        } catch (JrunException ignored) {
            // reported by the failure being handled
        }
    }

    private static VethNetwork.HostEnd hostEnd(ContainerState.HostInterface host) {
        FileIdentity netns = host.netnsIdentity();
        return new VethNetwork.HostEnd(host.name(), host.netns(), host.ifindex(), new NetnsIdentity(netns.device(), netns.inode()));
    }
}
