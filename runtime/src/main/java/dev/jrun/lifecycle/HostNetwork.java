package dev.jrun.lifecycle;

import dev.jrun.error.JrunException;
import dev.jrun.netlink.NetlinkException;
import dev.jrun.network.VethNetwork;
import dev.jrun.spec.model.JrunExtension;
import dev.jrun.state.ContainerState;

/**
 * The host end of a container's veth pair: recorded before it exists, made exactly as recorded,
 * removed only while it is provably the one jrun made (CONTRACT; the ownership proof lands with the veth work).
 */
final class HostNetwork {
    private HostNetwork() {}

    /** What create records in state.json before the pair is made. */
    static ContainerState.HostInterface reserve(JrunExtension.Veth veth, String containerId) throws JrunException {
        return new ContainerState.HostInterface(VethNetwork.hostNameOf(veth, containerId), veth.hostNetns(), 0, null);
    }

    /**
     * Makes the pair as recorded. A NetlinkException whose operation starts with "create veth" means the
     * pair was not made (the name or index is someone else's), so the record must be dropped, not cleaned up.
     */
    static void setUp(JrunExtension.Veth veth, ContainerState.HostInterface host, long initPid) throws NetlinkException {
        VethNetwork.setUp(veth, host.name(), initPid);
    }

    /** @return true when an interface was removed */
    static boolean remove(ContainerState state) throws JrunException {
        ContainerState.HostInterface host = state.hostInterface();
        if (host == null) {
            return false;
        }
        try {
            VethNetwork.tearDown(host.name(), host.netns());
            return true;
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
}
