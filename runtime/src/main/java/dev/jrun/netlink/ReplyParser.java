package dev.jrun.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/** Splits a datagram from a netlink socket into its messages (one datagram may carry several). */
public final class ReplyParser {
    private static final int ERROR_CODE_SIZE = 4;

    private ReplyParser() {}

    public static List<NetlinkReply> parse(byte[] datagram, int length) {
        ByteBuffer in = ByteBuffer.wrap(datagram, 0, length).slice().order(ByteOrder.nativeOrder());
        List<NetlinkReply> replies = new ArrayList<>();
        while (in.remaining() >= NlMsgHeader.SIZE) {
            int start = in.position();
            NlMsgHeader header = NlMsgHeader.read(in);
            if (header.length() < NlMsgHeader.SIZE || start + header.length() > in.limit()) {
                throw new MalformedMessageException("message at offset " + start + " claims " + header.length()
                        + " bytes but " + (in.limit() - start) + " remain");
            }
            ByteBuffer payload = in.slice(start + NlMsgHeader.SIZE, header.length() - NlMsgHeader.SIZE).order(ByteOrder.nativeOrder());
            switch (header.type()) {
                case Rtnl.NLMSG_NOOP -> { }
                case Rtnl.NLMSG_ERROR -> replies.add(error(header, payload));
                case Rtnl.NLMSG_DONE -> replies.add(new NetlinkReply.Done(header.seq(),
                        payload.remaining() >= ERROR_CODE_SIZE ? -payload.getInt(0) : 0));
                case Rtnl.NLMSG_OVERRUN -> throw new MalformedMessageException("the kernel reports an overrun: messages were lost");
                default -> {
                    byte[] bytes = new byte[payload.remaining()];
                    payload.get(bytes);
                    replies.add(new NetlinkReply.Data(header, bytes));
                }
            }
            in.position(Math.min(in.limit(), start + MessageWriter.align(header.length())));
        }
        return replies;
    }

    /**
     * struct nlmsgerr: s32 error, the request's nlmsghdr, the rest of the request unless the reply
     * is capped (NETLINK_CAP_ACK), then extended-ack attributes when NLM_F_ACK_TLVS is set.
     */
    private static NetlinkReply error(NlMsgHeader header, ByteBuffer payload) {
        if (payload.remaining() < ERROR_CODE_SIZE) {
            throw new MalformedMessageException("NLMSG_ERROR of " + payload.remaining() + " bytes has no error code");
        }
        int errno = -payload.getInt(0);
        if (errno == 0) {
            return new NetlinkReply.Ack(header.seq());
        }
        String message = "";
        OptionalInt offset = OptionalInt.empty();
        if ((header.flags() & Rtnl.NLM_F_ACK_TLVS) != 0 && payload.remaining() >= ERROR_CODE_SIZE + NlMsgHeader.SIZE) {
            int echoed = (header.flags() & Rtnl.NLM_F_CAPPED) != 0 ? NlMsgHeader.SIZE : payload.getInt(ERROR_CODE_SIZE);
            int tlvStart = MessageWriter.align(ERROR_CODE_SIZE + echoed);
            if (tlvStart < payload.limit()) {
                Attributes tlvs = Attributes.parse(payload.slice(tlvStart, payload.limit() - tlvStart));
                message = tlvs.string(Rtnl.NLMSGERR_ATTR_MSG).orElse("");
                offset = tlvs.u32(Rtnl.NLMSGERR_ATTR_OFFS);
            }
        }
        return new NetlinkReply.Error(header.seq(), errno, message, offset);
    }
}
