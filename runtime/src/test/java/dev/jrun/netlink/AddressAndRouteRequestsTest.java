package dev.jrun.netlink;

import static dev.jrun.netlink.Hex.assertBytes;
import static dev.jrun.netlink.Hex.bytes;

import dev.jrun.spec.net.Cidr;
import dev.jrun.spec.net.IpLiteral;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RTM_NEWADDR and RTM_NEWROUTE against hand-written bytes: ifaddrmsg (family, prefixlen, flags,
 * scope: u8 each; index u32) and rtmsg (family, dst_len, src_len, tos, table, protocol, scope,
 * type: u8 each; flags u32). Addresses are in network order, numbers in the host's.
 */
class AddressAndRouteRequestsTest {

    @BeforeAll
    static void littleEndian() {
        Hex.assumeLittleEndian();
    }

    @Test
    void ipv4Address() {
        assertBytes(bytes(
                "28000000 1400 0506 01000000 00000000",   // 40 bytes, RTM_NEWADDR, REQUEST|ACK|EXCL|CREATE
                "02 18 00 00 04000000",                   // AF_INET, /24, no flags, universe, index 4
                "0800 0200 0a580001",                     // IFA_LOCAL 10.88.0.1
                "0800 0100 0a580001"),                    // IFA_ADDRESS 10.88.0.1
                AddressRequests.newAddress(4, Cidr.parse("10.88.0.1/24")).encode(1));
    }

    @Test
    void ipv6AddressSkipsDuplicateAddressDetection() {
        assertBytes(bytes(
                "40000000 1400 0506 01000000 00000000",   // 64 bytes
                "0a 40 02 00 04000000",                   // AF_INET6, /64, IFA_F_NODAD, universe, index 4
                "1400 0200 fd000000 00000000 00000000 00000002",
                "1400 0100 fd000000 00000000 00000000 00000002"),
                AddressRequests.newAddress(4, Cidr.parse("fd00::2/64")).encode(1));
    }

    @Test
    void defaultRouteWithGatewayAndMetric() {
        var route = IpRoute.defaultVia(IpLiteral.parse("10.88.0.1"), "eth0", 100L);
        assertBytes(bytes(
                "34000000 1800 0506 01000000 00000000",   // 52 bytes, RTM_NEWROUTE
                "02 00 00 00 fe 03 00 01 00000000",       // AF_INET, dst_len 0, main, boot, universe, unicast
                "0800 0500 0a580001",                     // RTA_GATEWAY (no RTA_DST: default)
                "0800 0400 02000000",                     // RTA_OIF 2
                "0800 0600 64000000"),                    // RTA_PRIORITY 100
                RouteRequests.newRoute(route, 2).encode(1));
    }

    @Test
    void routeToANetworkThroughAGateway() {
        var route = new IpRoute(Cidr.parse("192.168.50.0/24"), IpLiteral.parse("10.88.0.1"), "eth0", null);
        assertBytes(bytes(
                "34000000 1800 0506 01000000 00000000",
                "02 18 00 00 fe 03 00 01 00000000",       // dst_len 24
                "0800 0100 c0a83200",                     // RTA_DST 192.168.50.0
                "0800 0500 0a580001",
                "0800 0400 02000000"),
                RouteRequests.newRoute(route, 2).encode(1));
    }

    @Test
    void onLinkIpv6RouteHasLinkScopeAndNoGateway() {
        var route = new IpRoute(Cidr.parse("fd00:1::/48"), null, "eth0", null);
        assertBytes(bytes(
                "38000000 1800 0506 01000000 00000000",
                "0a 30 00 00 fe 03 fd 01 00000000",       // AF_INET6, /48, main, boot, link scope, unicast
                "1400 0100 fd000001 00000000 00000000 00000000",
                "0800 0400 03000000"),
                RouteRequests.newRoute(route, 3).encode(1));
    }

    @Test
    void ipv6DefaultRoute() {
        var route = IpRoute.defaultVia(IpLiteral.parse("fd00::1"), "eth0", null);
        assertBytes(bytes(
                "38000000 1800 0506 01000000 00000000",   // 56 bytes
                "0a 00 00 00 fe 03 00 01 00000000",
                "1400 0500 fd000000 00000000 00000000 00000001",
                "0800 0400 02000000"),
                RouteRequests.newRoute(route, 2).encode(1));
    }
}
