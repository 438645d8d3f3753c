package dev.jrun.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.OptionalInt;

/** One message from the kernel, decoded as far as the exchange needs it. */
public sealed interface NetlinkReply {

    /** The sequence number of the request this answers. */
    int seq();

    /** NLMSG_ERROR with error 0: the request succeeded. */
    record Ack(int seq) implements NetlinkReply {}

    /**
     * NLMSG_ERROR with an error: errno is positive (the kernel sends it negated). extackMessage is the
     * kernel's own explanation (NLMSGERR_ATTR_MSG), empty when it gave none; attributeOffset is the
     * offset in the request of the attribute it blamed (NLMSGERR_ATTR_OFFS), when it named one.
     */
    record Error(int seq, int errno, String extackMessage, OptionalInt attributeOffset) implements NetlinkReply {}

    /** NLMSG_DONE: the end of a multi-part reply; status is the errno it carries (0 when none). */
    record Done(int seq, int status) implements NetlinkReply {}

    /** Any other message: the answer itself, e.g. RTM_NEWLINK describing a link. */
    record Data(NlMsgHeader header, byte[] payload) implements NetlinkReply {
        public Data {
            payload = payload.clone();
        }

        @Override
        public int seq() {
            return header.seq();
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }

        /** The payload as a read-only buffer in the host's byte order, without copying. */
        public ByteBuffer payloadBuffer() {
            return ByteBuffer.wrap(payload).asReadOnlyBuffer().order(ByteOrder.nativeOrder());
        }
    }
}
