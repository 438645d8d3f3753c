package dev.jrun.netlink;

import java.util.Objects;

/**
 * What to create: a veth pair, its two names, an MTU for both ends, their MAC addresses, and where
 * each end goes. A null field is left to the kernel: no MTU means 1500, no MAC a random one, no
 * namespace the namespace of the socket that sends the request.
 */
public record VethPair(String hostName, String peerName, Integer mtu, MacAddress hostMac, MacAddress peerMac,
        NetnsRef hostNetns, NetnsRef peerNetns) {

    public VethPair {
        Objects.requireNonNull(hostName, "hostName");
        Objects.requireNonNull(peerName, "peerName");
    }

    public static VethPair of(String hostName, String peerName) {
        return new VethPair(hostName, peerName, null, null, null, null, null);
    }

    public VethPair withMtu(Integer value) {
        return new VethPair(hostName, peerName, value, hostMac, peerMac, hostNetns, peerNetns);
    }

    public VethPair withMacs(MacAddress host, MacAddress peer) {
        return new VethPair(hostName, peerName, mtu, host, peer, hostNetns, peerNetns);
    }

    /** Creates the host end directly in this namespace (IFLA_NET_NS_FD/PID on the outer message). */
    public VethPair withHostNetns(NetnsRef value) {
        return new VethPair(hostName, peerName, mtu, hostMac, peerMac, value, peerNetns);
    }

    /** Creates the peer directly in this namespace, e.g. the container's. */
    public VethPair withPeerNetns(NetnsRef value) {
        return new VethPair(hostName, peerName, mtu, hostMac, peerMac, hostNetns, value);
    }
}
