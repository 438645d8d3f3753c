package dev.jrun.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A request ready to send but for its sequence number, which the socket assigns. Every request
 * jrun sends asks for an acknowledgement (NLM_F_ACK), so each exchange ends with an ACK or an
 * error the socket can wait for, whether or not data comes first.
 */
public record NetlinkRequest(int type, int flags, byte[] payload) {

    public NetlinkRequest {
        payload = payload.clone();
    }

    static NetlinkRequest of(int type, int extraFlags, MessageWriter payload) {
        return new NetlinkRequest(type, Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK | extraFlags, payload.toByteArray());
    }

    /** The whole message: nlmsghdr (pid 0: the kernel fills in the sender's port) and the payload. */
    public byte[] encode(int seq) {
        int length = NlMsgHeader.SIZE + payload.length;
        ByteBuffer out = ByteBuffer.allocate(length).order(ByteOrder.nativeOrder());
        new NlMsgHeader(length, type, flags, seq, 0).write(out);
        out.put(payload);
        return out.array();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NetlinkRequest that && type == that.type && flags == that.flags
                && java.util.Arrays.equals(payload, that.payload);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * type + flags) + java.util.Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "NetlinkRequest[type=" + type + ", flags=0x" + Integer.toHexString(flags) + ", " + payload.length + " bytes]";
    }
}
