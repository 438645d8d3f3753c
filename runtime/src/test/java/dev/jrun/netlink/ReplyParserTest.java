package dev.jrun.netlink;

import static dev.jrun.netlink.Hex.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Kernel replies written by hand from struct nlmsgerr and the extended-ack attributes, decoded. */
class ReplyParserTest {
    /** The request the errors below answer: a 32-byte RTM_SETLINK, seq 7. */
    private static final String ECHOED_HEADER = "20000000 1300 0500 07000000 00000000";

    @BeforeAll
    static void littleEndian() {
        Hex.assumeLittleEndian();
    }

    private static List<NetlinkReply> parse(byte[] datagram) {
        return ReplyParser.parse(datagram, datagram.length);
    }

    @Test
    void ackIsAnErrorMessageWithErrorZero() {
        byte[] datagram = bytes(
                "24000000 0200 0001 07000000 d2040000",   // 36 bytes, NLMSG_ERROR, NLM_F_CAPPED, seq 7, port 1234
                "00000000",                               // error 0
                ECHOED_HEADER);
        assertEquals(List.of(new NetlinkReply.Ack(7)), parse(datagram));
    }

    @Test
    void cappedErrorWithExtendedAck() {
        byte[] datagram = bytes(
                "3c000000 0200 0003 07000000 d2040000",   // 60 bytes, CAPPED|ACK_TLVS
                "efffffff",                               // -EEXIST
                ECHOED_HEADER,                            // only the header: capped
                "0d00 0100 626164206e616d6500 000000",    // NLMSGERR_ATTR_MSG "bad name\0"
                "0800 0200 14000000");                    // NLMSGERR_ATTR_OFFS 20
        assertEquals(List.of(new NetlinkReply.Error(7, 17, "bad name", OptionalInt.of(20))), parse(datagram));
    }

    @Test
    void uncappedErrorSkipsTheEchoedRequestToFindTheMessage() {
        byte[] datagram = bytes(
                "3c000000 0200 0002 07000000 d2040000",   // ACK_TLVS, not capped
                "edffffff",                               // -ENODEV
                ECHOED_HEADER,
                "00000000 00000000 00000000 00000000",    // the request's payload (its ifinfomsg)
                "0700 0100 6e6f00 00");                   // NLMSGERR_ATTR_MSG "no\0"
        assertEquals(List.of(new NetlinkReply.Error(7, 19, "no", OptionalInt.empty())), parse(datagram));
    }

    @Test
    void errorWithoutExtendedAckHasAnEmptyMessage() {
        byte[] datagram = bytes(
                "24000000 0200 0001 07000000 d2040000",
                "ffffffff",                               // -EPERM
                ECHOED_HEADER);
        assertEquals(List.of(new NetlinkReply.Error(7, 1, "", OptionalInt.empty())), parse(datagram));
    }

    @Test
    void done() {
        assertEquals(List.of(new NetlinkReply.Done(9, 0)), parse(bytes("14000000 0300 0200 09000000 00000000", "00000000")));
    }

    @Test
    void linkDataThenAckInOneDatagram() {
        byte[] datagram = bytes(
                "40000000 1000 0000 03000000 d2040000",   // 64 bytes, RTM_NEWLINK, seq 3
                "00 00 0100 05000000 43100000 00000000",  // ARPHRD_ETHER, index 5, UP|BROADCAST|RUNNING|MULTICAST
                "0800 0300 62723000",                     // IFLA_IFNAME "br0"
                "0800 0400 dc050000",                     // IFLA_MTU 1500
                "1000 1280",                              // IFLA_LINKINFO with NLA_F_NESTED set
                "  0b00 0100 62726964676500 00",          //   IFLA_INFO_KIND "bridge"
                "24000000 0200 0001 03000000 d2040000",   // then the ACK
                "00000000",
                "20000000 1200 0500 03000000 00000000");
        List<NetlinkReply> replies = parse(datagram);
        assertEquals(2, replies.size());
        var data = assertInstanceOf(NetlinkReply.Data.class, replies.get(0));
        assertEquals(16, data.header().type());
        Link link = Link.parse(data.payloadBuffer());
        assertEquals(new Link(5, "br0", 0x1043, OptionalInt.of(1500), OptionalInt.empty(), Optional.of("bridge"), Optional.empty()), link);
        assertTrue(link.isBridge());
        assertTrue(link.isUp());
        assertEquals(new NetlinkReply.Ack(3), replies.get(1));
    }

    @Test
    void linkWithoutKindIsNoBridge() {
        byte[] payload = bytes(
                "00 00 0403 01000000 49000000 00000000",  // lo: ARPHRD_LOOPBACK, index 1
                "0700 0300 6c6f00 00",                    // IFLA_IFNAME "lo"
                "0a00 0100 000000000000 0000");           // IFLA_ADDRESS 00:00:00:00:00:00
        Link link = Link.parse(java.nio.ByteBuffer.wrap(payload).order(java.nio.ByteOrder.nativeOrder()));
        assertEquals("lo", link.name());
        assertFalse(link.isBridge());
        assertEquals(Optional.of(MacAddress.parse("00:00:00:00:00:00")), link.mac());
    }

    @Test
    void noopIsSkipped() {
        assertEquals(List.of(), parse(bytes("10000000 0100 0000 01000000 00000000")));
    }

    @Test
    void lengthsThatOverrunAreRefused() {
        var message = assertThrows(MalformedMessageException.class,
                () -> parse(bytes("40000000 0200 0000 01000000 00000000", "00000000"))).getMessage();
        assertEquals("message at offset 0 claims 64 bytes but 20 remain", message);
        assertThrows(MalformedMessageException.class, () -> parse(bytes("0c000000 0200 0000 01000000 00000000")));
        assertThrows(MalformedMessageException.class,
                () -> Attributes.parse(java.nio.ByteBuffer.wrap(bytes("0900 0300 6162")))); // says 9, holds 6
    }
}
