package dev.jrun.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.spec.net.Cidr;
import dev.jrun.spec.net.IpLiteral;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The values checked before any request: names, MAC addresses, routes. */
class ValuesTest {

    @Test
    void interfaceNamesFollowTheKernelsRule() {
        assertEquals(Optional.empty(), InterfaceName.problem("veth-abc"));
        assertEquals(Optional.empty(), InterfaceName.problem("a23456789012345"));
        assertEquals(Optional.of("interface name \"a234567890123456\" is 16 bytes long; Linux allows at most 15"),
                InterfaceName.problem("a234567890123456"));
        assertEquals(Optional.of("an interface name cannot be empty"), InterfaceName.problem(""));
        assertTrue(InterfaceName.problem("..").isPresent());
        assertTrue(InterfaceName.problem("a/b").orElseThrow().contains("'/'"));
        assertTrue(InterfaceName.problem("a:b").orElseThrow().contains("':'"));
        assertTrue(InterfaceName.problem("a b").orElseThrow().contains("whitespace"));
        // Bytes, not characters: eight two-byte characters are 16 bytes.
        assertTrue(InterfaceName.problem("éééééééé").orElseThrow().contains("16 bytes"));
    }

    @Test
    void macAddresses() {
        MacAddress mac = MacAddress.parse("02:AB:00:00:00:01");
        assertEquals("02:ab:00:00:00:01", mac.toString());
        assertEquals(mac, MacAddress.ofOctets(new byte[] {2, (byte) 0xab, 0, 0, 0, 1}));
        assertNull(mac.unicastProblem());
        assertTrue(MacAddress.parse("01:00:5e:00:00:01").unicastProblem().contains("multicast"));
        assertTrue(MacAddress.parse("00:00:00:00:00:00").unicastProblem().contains("all zeros"));
        assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("02:00:00:00:00"));
        assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("02-00-00-00-00-01"));
    }

    @Test
    void routesReadLikeIpRoute() {
        assertEquals("default via 10.0.0.1 dev eth0 metric 100",
                IpRoute.defaultVia(IpLiteral.parse("10.0.0.1"), "eth0", 100L).toString());
        assertEquals("fd00:1::/48 dev eth0", new IpRoute(Cidr.parse("fd00:1::/48"), null, "eth0", null).toString());
        var mixed = assertThrows(IllegalArgumentException.class,
                () -> new IpRoute(Cidr.parse("10.0.0.0/8"), IpLiteral.parse("fd00::1"), "eth0", null));
        assertEquals("route to 10.0.0.0/8: next hop fd00::1 is IPv6 but the destination is IPv4", mixed.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new IpRoute(Cidr.parse("10.0.0.0/8"), null, "eth0", 1L << 32));
    }
}
