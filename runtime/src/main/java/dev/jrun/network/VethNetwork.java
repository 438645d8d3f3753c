package dev.jrun.network;

import dev.jrun.netlink.IpRoute;
import dev.jrun.netlink.MacAddress;
import dev.jrun.netlink.NetlinkException;
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

/**
 * The spec's jrun.veth, made real at create's network hook point: the pair is created from the
 * host side with its container end directly inside the init's network namespace, then each end
 * gets its addresses, routes and link state. Teardown removes the host end, which removes the pair.
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
     * Creates and configures the pair. initPid's network namespace is the container's (new, or
     * joined by path: the init has joined it already).
     */
    public static void setUp(JrunExtension.Veth veth, String hostName, long initPid) throws NetlinkException {
        String peerName = veth.containerInterfaceOrDefault();
        try (Rtnetlink host = veth.hostNetns() == null ? Rtnetlink.open() : Rtnetlink.openIn(Path.of(veth.hostNetns()))) {
            VethPair pair = VethPair.of(hostName, peerName).withPeerNetns(NetnsRef.pid(initPid));
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
     * Removes the host end (and with it the pair). An end that is already gone — the kernel removes the
     * pair when the container's network namespace dies — is fine.
     */
    public static void tearDown(String hostName, String hostNetns) throws NetlinkException {
        try (Rtnetlink host = hostNetns == null ? Rtnetlink.open() : Rtnetlink.openIn(Path.of(hostNetns))) {
            if (host.findLink(hostName).isPresent()) {
                try {
                    host.deleteLink(hostName);
                } catch (NetlinkException e) {
                    if (e.errno() != ENODEV) {
                        throw e;
                    }
                }
            }
        }
    }

    private static final int ENODEV = 19;

    private static MacAddress mac(String text) {
        return text == null ? null : MacAddress.parse(text);
    }
}
