package dev.jrun.netlink;

import java.util.Objects;

/**
 * What to create: a veth pair, its two names, an MTU for both ends, their MAC addresses, where
 * each end goes, and the host end's interface index. A null field is left to the kernel: no MTU
 * means 1500, no MAC a random one, no namespace the namespace of the socket that sends the request;
 * hostIndex 0 lets the kernel number the host end (see {@link ChosenIndex} for why jrun does not).
 * The peer's index is always the kernel's: it lives in another namespace, which has its own numbers.
 */
public record VethPair(String hostName, String peerName, Integer mtu, MacAddress hostMac, MacAddress peerMac,
        NetnsRef hostNetns, NetnsRef peerNetns, int hostIndex) {

    public VethPair {
        Objects.requireNonNull(hostName, "hostName");
        Objects.requireNonNull(peerName, "peerName");
        if (hostIndex < 0) {
            throw new IllegalArgumentException("interface index " + hostIndex + " is negative");
        }
    }

    public static VethPair of(String hostName, String peerName) {
        return new VethPair(hostName, peerName, null, null, null, null, null, 0);
    }

    public VethPair withMtu(Integer value) {
        return new VethPair(hostName, peerName, value, hostMac, peerMac, hostNetns, peerNetns, hostIndex);
    }

    public VethPair withMacs(MacAddress host, MacAddress peer) {
        return new VethPair(hostName, peerName, mtu, host, peer, hostNetns, peerNetns, hostIndex);
    }

    /** Creates the host end directly in this namespace (IFLA_NET_NS_FD/PID on the outer message). */
    public VethPair withHostNetns(NetnsRef value) {
        return new VethPair(hostName, peerName, mtu, hostMac, peerMac, value, peerNetns, hostIndex);
    }

    /** Creates the peer directly in this namespace, e.g. the container's. */
    public VethPair withPeerNetns(NetnsRef value) {
        return new VethPair(hostName, peerName, mtu, hostMac, peerMac, hostNetns, value, hostIndex);
    }

    /** Asks the kernel for exactly this index for the host end (ifi_index of the outer ifinfomsg); 0: any. */
    public VethPair withHostIndex(int value) {
        return new VethPair(hostName, peerName, mtu, hostMac, peerMac, hostNetns, peerNetns, value);
    }
}
