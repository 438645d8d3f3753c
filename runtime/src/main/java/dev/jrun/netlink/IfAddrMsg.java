package dev.jrun.netlink;

/** struct ifaddrmsg (8 bytes): family u8, prefixlen u8, flags u8, scope u8, index u32. */
public record IfAddrMsg(int family, int prefixLength, int flags, int scope, int index) {
    public static final int SIZE = 8;

    void write(MessageWriter out) {
        out.u8(family).u8(prefixLength).u8(flags).u8(scope).u32(index);
    }
}
