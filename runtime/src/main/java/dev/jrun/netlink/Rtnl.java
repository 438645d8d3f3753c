package dev.jrun.netlink;

/**
 * The numbers of the kernel's netlink and rtnetlink ABI that jrun uses, named as in the C headers
 * (linux/netlink.h, linux/rtnetlink.h, linux/if_link.h, linux/if_addr.h, linux/veth.h) so that
 * each can be checked against rtnetlink(7) and netlink(7). Values are the Linux ABI, stable.
 */
final class Rtnl {
    private Rtnl() {}

    // Address families.
    static final int AF_UNSPEC = 0;
    static final int AF_INET = 2;
    static final int AF_NETLINK = 16;
    static final int AF_INET6 = 10;

    // nlmsghdr.nlmsg_type: control messages.
    static final int NLMSG_NOOP = 1;
    static final int NLMSG_ERROR = 2;
    static final int NLMSG_DONE = 3;
    static final int NLMSG_OVERRUN = 4;

    // nlmsghdr.nlmsg_flags.
    static final int NLM_F_REQUEST = 0x1;
    static final int NLM_F_MULTI = 0x2;
    static final int NLM_F_ACK = 0x4;
    static final int NLM_F_EXCL = 0x200;
    static final int NLM_F_CREATE = 0x400;
    /** On an NLMSG_ERROR: only the header of the request is echoed (NETLINK_CAP_ACK). */
    static final int NLM_F_CAPPED = 0x100;
    /** On an NLMSG_ERROR: extended-ack attributes follow the echoed request. */
    static final int NLM_F_ACK_TLVS = 0x200;

    // Extended ack attributes (struct nlmsgerr's trailer).
    static final int NLMSGERR_ATTR_MSG = 1;
    static final int NLMSGERR_ATTR_OFFS = 2;

    // rtnetlink message types.
    static final int RTM_NEWLINK = 16;
    static final int RTM_DELLINK = 17;
    static final int RTM_GETLINK = 18;
    static final int RTM_SETLINK = 19;
    static final int RTM_NEWADDR = 20;
    static final int RTM_NEWROUTE = 24;

    // Link attributes (IFLA_*).
    static final int IFLA_ADDRESS = 1;
    static final int IFLA_IFNAME = 3;
    static final int IFLA_MTU = 4;
    static final int IFLA_MASTER = 10;
    static final int IFLA_LINKINFO = 18;
    static final int IFLA_NET_NS_PID = 19;
    static final int IFLA_NET_NS_FD = 28;
    static final int IFLA_INFO_KIND = 1;
    static final int IFLA_INFO_DATA = 2;
    static final int VETH_INFO_PEER = 1;
    static final int IFF_UP = 0x1;

    // Address attributes (IFA_*) and flags.
    static final int IFA_ADDRESS = 1;
    static final int IFA_LOCAL = 2;
    /** Skip duplicate address detection: an IPv6 address is usable at once instead of "tentative". */
    static final int IFA_F_NODAD = 0x02;

    // Route attributes (RTA_*) and rtmsg values.
    static final int RTA_DST = 1;
    static final int RTA_OIF = 4;
    static final int RTA_GATEWAY = 5;
    static final int RTA_PRIORITY = 6;
    static final int RT_TABLE_MAIN = 254;
    static final int RTPROT_BOOT = 3;
    static final int RT_SCOPE_UNIVERSE = 0;
    static final int RT_SCOPE_LINK = 253;
    static final int RTN_UNICAST = 1;

    // Attribute type bits that are flags, not part of the type.
    static final int NLA_F_NESTED = 0x8000;
    static final int NLA_F_NET_BYTEORDER = 0x4000;
    static final int NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xffff;
}
