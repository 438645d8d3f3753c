package dev.jrun.netlink;

import static dev.jrun.netlink.Hex.assertBytes;
import static dev.jrun.netlink.Hex.bytes;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each link request against bytes written by hand from the structs: nlmsghdr (len u32, type u16,
 * flags u16, seq u32, pid u32), ifinfomsg (family u8, pad u8, type u16, index s32, flags u32,
 * change u32), rtattr (len u16, type u16, value, padding to 4).
 */
class LinkRequestsTest {
    private static final String NO_LINK = "00000000 00000000 00000000 00000000";

    @BeforeAll
    static void littleEndian() {
        Hex.assumeLittleEndian();
    }

    @Test
    void vethWithEverythingForBothEnds() {
        var pair = VethPair.of("vh0", "vp0").withMtu(1400)
                .withMacs(MacAddress.parse("02:00:00:00:00:01"), MacAddress.parse("02:00:00:00:00:02"))
                .withPeerNetns(NetnsRef.fd(4, "/run/netns/b"));
        assertBytes(bytes(
                "88000000 1000 0506 01000000 00000000",   // 136 bytes, RTM_NEWLINK, REQUEST|ACK|EXCL|CREATE, seq 1
                NO_LINK,                                  // ifinfomsg: no index, no flags
                "0800 0300 76683000",                     // IFLA_IFNAME "vh0\0"
                "0800 0400 78050000",                     // IFLA_MTU 1400
                "0a00 0100 020000000001 0000",            // IFLA_ADDRESS, 6 bytes + 2 padding
                "4c00 1200",                              // IFLA_LINKINFO, 76 bytes
                "  0900 0100 7665746800 000000",          //   IFLA_INFO_KIND "veth\0" + 3 padding
                "  3c00 0200",                            //   IFLA_INFO_DATA, 60 bytes
                "    3800 0100",                          //     VETH_INFO_PEER, 56 bytes:
                "    " + NO_LINK,                         //     its own ifinfomsg
                "    0800 0300 76703000",                 //     IFLA_IFNAME "vp0\0"
                "    0800 0400 78050000",                 //     IFLA_MTU 1400
                "    0a00 0100 020000000002 0000",        //     IFLA_ADDRESS
                "    0800 1c00 04000000"),                //     IFLA_NET_NS_FD 4
                LinkRequests.newVeth(pair).encode(1));
    }

    @Test
    void vethWithTheHostEndCreatedInAnotherNamespace() {
        var pair = VethPair.of("a", "b").withHostNetns(NetnsRef.fd(6, "/run/netns/a"));
        assertBytes(bytes(
                "60000000 1000 0506 02000000 00000000",   // 96 bytes, seq 2
                NO_LINK,
                "0600 0300 6100 0000",                    // IFLA_IFNAME "a\0" + 2 padding
                "0800 1c00 06000000",                     // IFLA_NET_NS_FD 6 on the outer message
                "3000 1200",                              // IFLA_LINKINFO, 48 bytes
                "  0900 0100 7665746800 000000",
                "  2000 0200",                            //   IFLA_INFO_DATA, 32
                "    1c00 0100",                          //     VETH_INFO_PEER, 28
                "    " + NO_LINK,
                "    0600 0300 6200 0000"),               //     IFLA_IFNAME "b\0"
                LinkRequests.newVeth(pair).encode(2));
    }

    @Test
    void vethPeerIntoTheNamespaceOfAPid() {
        var pair = VethPair.of("a", "b").withPeerNetns(NetnsRef.pid(4242));
        assertBytes(bytes(
                "60000000 1000 0506 01000000 00000000",   // 96 bytes
                NO_LINK,
                "0600 0300 6100 0000",
                "3800 1200",
                "  0900 0100 7665746800 000000",
                "  2800 0200",
                "    2400 0100",
                "    " + NO_LINK,
                "    0600 0300 6200 0000",
                "    0800 1300 92100000"),                //     IFLA_NET_NS_PID 4242
                LinkRequests.newVeth(pair).encode(1));
    }

    @Test
    void vethWithAChosenHostIndexAsksForItInTheOuterIfinfomsgOnly() {
        var pair = VethPair.of("a", "b").withPeerNetns(NetnsRef.pid(4242)).withHostIndex(0x01000003);
        assertBytes(bytes(
                "60000000 1000 0506 01000000 00000000",   // 96 bytes, RTM_NEWLINK, REQUEST|ACK|EXCL|CREATE: never a change to index 0x01000003's link
                "00 00 0000 03000001 00000000 00000000",  // ifinfomsg: index 16777219 (2^24 + 3), no flags
                "0600 0300 6100 0000",                    // IFLA_IFNAME "a\0"
                "3800 1200",                              // IFLA_LINKINFO
                "  0900 0100 7665746800 000000",
                "  2800 0200",
                "    2400 0100",                          //     VETH_INFO_PEER:
                "    " + NO_LINK,                         //     the peer's index is the kernel's (it lives in another namespace)
                "    0600 0300 6200 0000",
                "    0800 1300 92100000"),                //     IFLA_NET_NS_PID 4242
                LinkRequests.newVeth(pair).encode(1));
    }

    @Test
    void getLinkByName() {
        assertBytes(bytes(
                "2c000000 1200 0500 01000000 00000000",   // 44 bytes, RTM_GETLINK, REQUEST|ACK (no dump)
                NO_LINK,
                "0900 0300 6574683000 000000"),           // IFLA_IFNAME "eth0\0" + 3 padding
                LinkRequests.getLink("eth0").encode(1));
    }

    @Test
    void getLinkByIndexHasNoName() {
        assertBytes(bytes(
                "20000000 1200 0500 03000000 00000000",   // 32 bytes, RTM_GETLINK, REQUEST|ACK
                "00 00 0000 2a000001 00000000 00000000"), // index 16777258, and no IFLA_IFNAME
                LinkRequests.getLink(LinkRef.index(0x0100002a)).encode(3));
    }

    @Test
    void setUpByNameChangesOnlyIffUp() {
        assertBytes(bytes(
                "28000000 1300 0500 01000000 00000000",   // 40 bytes, RTM_SETLINK, REQUEST|ACK
                "00 00 0000 00000000 01000000 01000000",  // flags IFF_UP, change IFF_UP
                "0800 0300 76703000"),
                LinkRequests.setUp(LinkRef.name("vp0"), true).encode(1));
    }

    @Test
    void setDownByIndexHasNoName() {
        assertBytes(bytes(
                "20000000 1300 0500 05000000 00000000",
                "00 00 0000 07000000 00000000 01000000"), // index 7, flags 0, change IFF_UP
                LinkRequests.setUp(LinkRef.index(7), false).encode(5));
    }

    @Test
    void setMaster() {
        assertBytes(bytes(
                "30000000 1300 0500 01000000 00000000",
                NO_LINK,
                "0800 0300 76683000",
                "0800 0a00 05000000"),                    // IFLA_MASTER 5
                LinkRequests.setMaster(LinkRef.name("vh0"), 5).encode(1));
    }

    @Test
    void setMtuByIndex() {
        assertBytes(bytes(
                "28000000 1300 0500 01000000 00000000",
                "00 00 0000 03000000 00000000 00000000",
                "0800 0400 28230000"),                    // IFLA_MTU 9000
                LinkRequests.setMtu(LinkRef.index(3), 9000).encode(1));
    }

    @Test
    void moveToTheNamespaceOfAPid() {
        assertBytes(bytes(
                "30000000 1300 0500 01000000 00000000",
                NO_LINK,
                "0800 0300 76703000",
                "0800 1300 92100000"),                    // IFLA_NET_NS_PID 4242
                LinkRequests.moveToNetns(LinkRef.name("vp0"), NetnsRef.pid(4242)).encode(1));
    }

    @Test
    void moveToTheNamespaceOfAFd() {
        assertBytes(bytes(
                "28000000 1300 0500 01000000 00000000",
                "00 00 0000 09000000 00000000 00000000",
                "0800 1c00 05000000"),                    // IFLA_NET_NS_FD 5
                LinkRequests.moveToNetns(LinkRef.index(9), NetnsRef.fd(5, "/proc/1/ns/net")).encode(1));
    }

    @Test
    void deleteByNameAndByIndex() {
        assertBytes(bytes(
                "28000000 1100 0500 01000000 00000000",   // RTM_DELLINK
                NO_LINK,
                "0800 0300 76683000"),
                LinkRequests.deleteLink(LinkRef.name("vh0")).encode(1));
        assertBytes(bytes(
                "20000000 1100 0500 01000000 00000000",
                "00 00 0000 0c000000 00000000 00000000"),
                LinkRequests.deleteLink(LinkRef.index(12)).encode(1));
    }
}
