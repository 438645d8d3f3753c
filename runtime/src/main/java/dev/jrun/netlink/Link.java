package dev.jrun.netlink;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.OptionalInt;

/** A link as RTM_NEWLINK describes it: what jrun reads back (kind "bridge", "veth", … empty for lo and physical devices). */
public record Link(int index, String name, int flags, OptionalInt mtu, OptionalInt master, Optional<String> kind, Optional<MacAddress> mac) {

    public boolean isUp() {
        return (flags & Rtnl.IFF_UP) != 0;
    }

    public boolean isBridge() {
        return kind.filter("bridge"::equals).isPresent();
    }

    /** Decodes the payload of an RTM_NEWLINK message: ifinfomsg, then attributes. */
    static Link parse(ByteBuffer payload) {
        if (payload.remaining() < IfInfoMsg.SIZE) {
            throw new MalformedMessageException("link message of " + payload.remaining() + " bytes is shorter than ifinfomsg");
        }
        ByteBuffer in = payload.duplicate().order(payload.order());
        IfInfoMsg info = IfInfoMsg.read(in);
        Attributes attributes = Attributes.parse(in);
        Optional<String> kind = attributes.nested(Rtnl.IFLA_LINKINFO).flatMap(linkInfo -> linkInfo.string(Rtnl.IFLA_INFO_KIND));
        Optional<MacAddress> mac = attributes.bytes(Rtnl.IFLA_ADDRESS).filter(raw -> raw.length == 6)
                .map(MacAddress::ofOctets);
        return new Link(info.index(), attributes.string(Rtnl.IFLA_IFNAME).orElse(""), info.flags(),
                attributes.u32(Rtnl.IFLA_MTU), attributes.u32(Rtnl.IFLA_MASTER), kind, mac);
    }
}
