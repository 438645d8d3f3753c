package dev.jrun.spec.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CidrTest {
    @Test
    void containsAddressesOfItsSubnetOnly() {
        Cidr v4 = Cidr.parse("10.88.0.2/24");
        assertTrue(v4.contains(IpLiteral.parse("10.88.0.254")));
        assertFalse(v4.contains(IpLiteral.parse("10.88.1.1")));
        assertFalse(v4.contains(IpLiteral.parse("fd88::1")), "another family is never inside");
        Cidr v6 = Cidr.parse("fd88::2/64");
        assertTrue(v6.contains(IpLiteral.parse("fd88::ffff:1")));
        assertFalse(v6.contains(IpLiteral.parse("fd89::1")));
        assertTrue(Cidr.parse("0.0.0.0/0").contains(IpLiteral.parse("192.0.2.1")));
    }

    @Test
    void refusesWhatIsNotCidrWithAReason() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.1")).getMessage().contains("no prefix"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.1/33")).getMessage().contains("out of range"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Cidr.parse("fd88::1/129")).getMessage().contains("out of range"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Cidr.parse("example.com/24")).getMessage().contains("not an IP"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.1/x")).getMessage().contains("not a number"));
    }

    @Test
    void formatsIpv6Compressed() {
        assertEquals("fd88::2", IpLiteral.format(IpLiteral.parse("fd88:0:0:0:0:0:0:2")));
        assertEquals("::", IpLiteral.format(IpLiteral.parse("::")));
        assertEquals("::1", IpLiteral.format(IpLiteral.parse("::1")));
        assertEquals("fd88:0:1::", IpLiteral.format(IpLiteral.parse("fd88:0:1:0:0:0:0:0")));
        assertEquals("1:0:2:3:4:5:6:7", IpLiteral.format(IpLiteral.parse("1:0:2:3:4:5:6:7")));
        assertEquals("fd88::2/64", Cidr.parse("fd88::2/64").toString());
    }
}
