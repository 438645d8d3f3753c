package dev.jrun.netlink;

/** struct rtmsg (12 bytes): family, dst_len, src_len, tos, table, protocol, scope, type (u8 each), flags u32. */
public record RtMsg(int family, int dstLength, int srcLength, int tos, int table, int protocol, int scope, int type, int flags) {
    public static final int SIZE = 12;

    void write(MessageWriter out) {
        out.u8(family).u8(dstLength).u8(srcLength).u8(tos).u8(table).u8(protocol).u8(scope).u8(type).u32(flags);
    }
}
