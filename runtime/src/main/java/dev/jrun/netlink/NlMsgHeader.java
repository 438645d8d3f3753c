package dev.jrun.netlink;

import java.nio.ByteBuffer;

/** struct nlmsghdr: the 16 bytes in front of every netlink message. Unsigned fields are held in ints. */
public record NlMsgHeader(int length, int type, int flags, int seq, int pid) {
    public static final int SIZE = 16;

    void write(ByteBuffer out) {
        out.putInt(length).putShort((short) type).putShort((short) flags).putInt(seq).putInt(pid);
    }

    /** Reads a header at the buffer's position and advances past it. */
    static NlMsgHeader read(ByteBuffer in) {
        return new NlMsgHeader(in.getInt(), Short.toUnsignedInt(in.getShort()), Short.toUnsignedInt(in.getShort()), in.getInt(), in.getInt());
    }
}
