package dev.jrun.netlink;

import java.nio.ByteBuffer;

/**
 * struct ifinfomsg (16 bytes): family u8, pad u8, type u16, index s32, flags u32, change u32.
 * change is the mask of flags the request sets; the others are left alone.
 */
public record IfInfoMsg(int family, int type, int index, int flags, int change) {
    public static final int SIZE = 16;

    /** Names no link by index: the kernel then goes by IFLA_IFNAME, or creates. */
    static final IfInfoMsg ANY = new IfInfoMsg(Rtnl.AF_UNSPEC, 0, 0, 0, 0);

    static IfInfoMsg ofIndex(int index) {
        return new IfInfoMsg(Rtnl.AF_UNSPEC, 0, index, 0, 0);
    }

    IfInfoMsg withFlags(int newFlags, int newChange) {
        return new IfInfoMsg(family, type, index, newFlags, newChange);
    }

    void write(MessageWriter out) {
        out.u8(family).u8(0).u16(type).u32(index).u32(flags).u32(change);
    }

    static IfInfoMsg read(ByteBuffer in) {
        int family = Byte.toUnsignedInt(in.get());
        in.get();
        return new IfInfoMsg(family, Short.toUnsignedInt(in.getShort()), in.getInt(), in.getInt(), in.getInt());
    }
}
