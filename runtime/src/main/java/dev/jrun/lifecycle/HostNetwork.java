package dev.jrun.lifecycle;

import dev.jrun.error.JrunException;
import dev.jrun.netlink.NetlinkException;
import dev.jrun.network.VethNetwork;
import dev.jrun.state.ContainerState;

/** Removes the host end of a container's veth pair, as recorded in its state. */
final class HostNetwork {
    private HostNetwork() {}

    static void remove(ContainerState state) throws JrunException {
        ContainerState.HostInterface host = state.hostInterface();
        if (host == null) {
            return;
        }
        try {
            VethNetwork.tearDown(host.name(), host.netns());
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
