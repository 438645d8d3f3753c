package dev.jrun.network;

import dev.jrun.sys.Errno;
import dev.jrun.netlink.ChosenIndex;
import dev.jrun.netlink.IpRoute;
import dev.jrun.netlink.Link;
import dev.jrun.netlink.MacAddress;
import dev.jrun.netlink.NetlinkException;
import dev.jrun.netlink.NetnsIdentity;
import dev.jrun.netlink.NetnsRef;
import dev.jrun.netlink.Rtnetlink;
import dev.jrun.netlink.VethPair;
import dev.jrun.spec.model.JrunExtension;
import dev.jrun.spec.net.Cidr;
import dev.jrun.spec.net.IpLiteral;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * The spec's jrun.veth, made real at create's network hook point: the pair is created from the
 * host side with its container end directly inside the init's network namespace, then each end
 * gets its addresses, routes and link state. Teardown removes the host end, which removes the pair,
 * but only while it is provably the one setUp made ({@link HostEnd}).
 */
public final class VethNetwork {
    private static final String NAME_PREFIX = "jr";

    private VethNetwork() {}

    /** The host end's name when the spec gives none: "jr" + 12 hex digits of the id's SHA-256, 14 bytes, within IFNAMSIZ. */
    public static String defaultHostName(String containerId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(containerId.getBytes(StandardCharsets.UTF_8));
            return NAME_PREFIX + HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    public static String hostNameOf(JrunExtension.Veth veth, String containerId) {
        return veth.hostInterface() != null ? veth.hostInterface() : defaultHostName(containerId);
    }

    /**
     * The host end as create records it before making it: its name, the network namespace it lives
     * in (netns: a file such as /run/netns/lab; null for jrun's own), that namespace's identity, and
     * the index jrun asks the kernel for (a {@link ChosenIndex}). All four together prove a link is
     * this one; the name alone proves nothing, since any interface can bear it.
     */
    public record HostEnd(String name, String netns, int index, NetnsIdentity netnsIdentity) {
        public HostEnd {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(netnsIdentity, "netnsIdentity");
            if (index <= 0) {
                throw new IllegalArgumentException("the host end " + name + " has no chosen index (" + index + ")");
            }
        }

        /** Where the host end lives, as messages say it. */
        String where() {
            return netns == null ? "jrun's own network namespace" : "network namespace " + netns;
        }
    }

    /** What {@link #tearDown} did, and why: only REMOVED touched anything. */
    public record Removal(Outcome outcome, String detail) {
        public enum Outcome {
            /** The host end was the container's, and is deleted (with the pair). */
            REMOVED,
            /** Nothing of the container's is there any more: the namespace, or the link, is gone. */
            GONE,
            /** Something is there under the recorded name or path, but it is provably not the container's: left alone. */
            NOT_ITS
        }
    }

    /**
     * Creates and configures the pair, the host end with the recorded index in the recorded
     * namespace. initPid's network namespace is the container's (new, or joined by path: the init
     * has joined it already). Every failure before the pair exists has the operation "create veth":
     * nothing was made, and the record must be dropped rather than cleaned up.
     */
    public static void setUp(JrunExtension.Veth veth, HostEnd hostEnd, long initPid) throws NetlinkException {
        String hostName = hostEnd.name();
        String peerName = veth.containerInterfaceOrDefault();
        try (Rtnetlink host = openHostSide(hostEnd.netns())) {
            // The path may have come to name another namespace since the record was written.
            if (!host.namespace().equals(hostEnd.netnsIdentity())) {
                throw new NetlinkException("create veth", hostName, 0, "", hostEnd.where() + " is not the namespace create recorded ("
                        + hostEnd.netnsIdentity() + ") but " + host.namespace() + ": it was replaced meanwhile; nothing was made");
            }
            VethPair pair = VethPair.of(hostName, peerName).withPeerNetns(NetnsRef.pid(initPid)).withHostIndex(hostEnd.index());
            if (veth.mtu() != null) {
                pair = pair.withMtu(veth.mtu());
            }
            if (veth.hostMac() != null || veth.containerMac() != null) {
                pair = pair.withMacs(mac(veth.hostMac()), mac(veth.containerMac()));
            }
            host.createVeth(pair);
            for (String address : veth.hostAddresses()) {
                host.addAddress(hostName, Cidr.parse(address));
            }
            if (veth.bridge() != null) {
                host.setMaster(hostName, veth.bridge());
            }
            host.setUp(hostName);
        }
        try (Rtnetlink container = Rtnetlink.openInNetnsOf(initPid)) {
            container.setUp("lo");
            for (String address : veth.containerAddresses()) {
                container.addAddress(peerName, Cidr.parse(address));
            }
            container.setUp(peerName);
            for (String gateway : veth.gateways()) {
                container.addRoute(IpRoute.defaultVia(IpLiteral.parse(gateway), peerName, null));
            }
            for (JrunExtension.Route route : veth.routes()) {
                InetAddress via = route.via() == null ? null : IpLiteral.parse(route.via());
                container.addRoute(new IpRoute(Cidr.parse(route.destination()), via, peerName, route.metric()));
            }
        }
    }

    /**
     * Removes the host end (and with it the pair) only while it is provably the one jrun made: the
     * namespace at the recorded path (or jrun's own) has the recorded identity, a link of the recorded
     * name is there, and its index is the one jrun chose. It is then deleted by that index. Anything
     * else is someone else's, or nothing, and is left alone: that is no failure, since the pair also
     * vanishes by itself when the container's network namespace dies. Throws only when jrun could not
     * look (no permission, a kernel error), so that delete can keep the record and be run again.
     */
    public static Removal tearDown(HostEnd hostEnd) throws NetlinkException {
        Optional<Rtnetlink> opened = hostEnd.netns() == null ? Optional.of(Rtnetlink.open()) : Rtnetlink.openInIfPresent(Path.of(hostEnd.netns()));
        if (opened.isEmpty()) {
            return new Removal(Removal.Outcome.GONE, hostEnd.netns() + " is no longer a network namespace");
        }
        try (Rtnetlink host = opened.get()) {
            NetnsIdentity now = host.namespace();
            if (!now.equals(hostEnd.netnsIdentity())) {
                return new Removal(Removal.Outcome.NOT_ITS, hostEnd.where() + " is " + now + ", not the recorded " + hostEnd.netnsIdentity());
            }
            Optional<Link> link = host.findLink(hostEnd.name());
            if (link.isEmpty()) {
                return new Removal(Removal.Outcome.GONE, "there is no interface " + hostEnd.name() + " in " + hostEnd.where());
            }
            if (link.get().index() != hostEnd.index()) {
                return new Removal(Removal.Outcome.NOT_ITS, hostEnd.name() + " in " + hostEnd.where() + " has the index " + link.get().index()
                        + ", not the recorded " + hostEnd.index());
            }
            try {
                host.deleteLink(hostEnd.index());
            } catch (NetlinkException e) {
                if (e.errno() != Errno.ENODEV) {
                    throw e;
                }
                return new Removal(Removal.Outcome.GONE, hostEnd.name() + " went while it was being removed");
            }
            return new Removal(Removal.Outcome.REMOVED, hostEnd.name() + " (index " + hostEnd.index() + ") in " + hostEnd.where());
        }
    }

    private static Rtnetlink openHostSide(String netns) throws NetlinkException {
        return netns == null ? Rtnetlink.open() : Rtnetlink.openIn(Path.of(netns));
    }


    private static MacAddress mac(String text) {
        return text == null ? null : MacAddress.parse(text);
    }
}
