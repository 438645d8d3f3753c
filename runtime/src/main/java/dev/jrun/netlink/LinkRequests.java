package dev.jrun.netlink;

/** The link requests jrun sends (RTM_NEWLINK, RTM_SETLINK, RTM_GETLINK, RTM_DELLINK), encoded without any I/O. */
public final class LinkRequests {
    private LinkRequests() {}

    /**
     * RTM_NEWLINK for a veth pair. The peer is described inside IFLA_LINKINFO → IFLA_INFO_DATA →
     * VETH_INFO_PEER as a link message of its own (ifinfomsg and attributes), so it takes its own
     * name, MTU, MAC and namespace. NLM_F_EXCL: an existing link of the name is an error, never reused.
     * A host index goes in the outer ifinfomsg: the kernel then registers the host end under that
     * index or fails with EEXIST; with EXCL it never treats the request as a change to the link that
     * has the index (without EXCL, a taken index would rename that link).
     */
    public static NetlinkRequest newVeth(VethPair pair) {
        MessageWriter out = new MessageWriter();
        IfInfoMsg.ofIndex(pair.hostIndex()).write(out);
        endAttributes(out, pair.hostName(), pair.mtu(), pair.hostMac(), pair.hostNetns());
        int linkInfo = out.begin(Rtnl.IFLA_LINKINFO);
        out.attributeString(Rtnl.IFLA_INFO_KIND, "veth");
        int data = out.begin(Rtnl.IFLA_INFO_DATA);
        int peer = out.begin(Rtnl.VETH_INFO_PEER);
        IfInfoMsg.ANY.write(out);
        endAttributes(out, pair.peerName(), pair.mtu(), pair.peerMac(), pair.peerNetns());
        out.end(peer);
        out.end(data);
        out.end(linkInfo);
        return NetlinkRequest.of(Rtnl.RTM_NEWLINK, Rtnl.NLM_F_CREATE | Rtnl.NLM_F_EXCL, out);
    }

    /** RTM_GETLINK for one link by name: the answer is one RTM_NEWLINK message, or ENODEV. */
    public static NetlinkRequest getLink(String name) {
        return getLink(LinkRef.name(name));
    }

    /** RTM_GETLINK for one link by name or by index. */
    public static NetlinkRequest getLink(LinkRef link) {
        MessageWriter out = new MessageWriter();
        writeLink(out, link, 0, 0);
        return NetlinkRequest.of(Rtnl.RTM_GETLINK, 0, out);
    }

    /** RTM_SETLINK changing only IFF_UP (ifi_change masks the flags the request sets). */
    public static NetlinkRequest setUp(LinkRef link, boolean up) {
        MessageWriter out = new MessageWriter();
        writeLink(out, link, up ? Rtnl.IFF_UP : 0, Rtnl.IFF_UP);
        return NetlinkRequest.of(Rtnl.RTM_SETLINK, 0, out);
    }

    /** RTM_SETLINK with IFLA_MASTER: enslaves the link to the bridge of that index. */
    public static NetlinkRequest setMaster(LinkRef link, int masterIndex) {
        return setU32(link, Rtnl.IFLA_MASTER, masterIndex);
    }

    public static NetlinkRequest setMtu(LinkRef link, int mtu) {
        return setU32(link, Rtnl.IFLA_MTU, mtu);
    }

    /** RTM_SETLINK with IFLA_NET_NS_PID or IFLA_NET_NS_FD: the link leaves for that namespace. */
    public static NetlinkRequest moveToNetns(LinkRef link, NetnsRef target) {
        MessageWriter out = new MessageWriter();
        writeLink(out, link, 0, 0);
        writeNetns(out, target);
        return NetlinkRequest.of(Rtnl.RTM_SETLINK, 0, out);
    }

    /** RTM_DELLINK; deleting one end of a veth pair deletes both. */
    public static NetlinkRequest deleteLink(LinkRef link) {
        MessageWriter out = new MessageWriter();
        writeLink(out, link, 0, 0);
        return NetlinkRequest.of(Rtnl.RTM_DELLINK, 0, out);
    }

    private static NetlinkRequest setU32(LinkRef link, int attribute, int value) {
        MessageWriter out = new MessageWriter();
        writeLink(out, link, 0, 0);
        out.attributeU32(attribute, value);
        return NetlinkRequest.of(Rtnl.RTM_SETLINK, 0, out);
    }

    private static void endAttributes(MessageWriter out, String name, Integer mtu, MacAddress mac, NetnsRef netns) {
        out.attributeString(Rtnl.IFLA_IFNAME, name);
        if (mtu != null) {
            out.attributeU32(Rtnl.IFLA_MTU, mtu);
        }
        if (mac != null) {
            out.attribute(Rtnl.IFLA_ADDRESS, mac.octets());
        }
        if (netns != null) {
            writeNetns(out, netns);
        }
    }

    /** The ifinfomsg naming the link, and for a name IFLA_IFNAME right after it (never both: a name beside an index renames). */
    private static void writeLink(MessageWriter out, LinkRef link, int flags, int change) {
        switch (link) {
            case LinkRef.Name name -> {
                IfInfoMsg.ANY.withFlags(flags, change).write(out);
                out.attributeString(Rtnl.IFLA_IFNAME, name.name());
            }
            case LinkRef.Index index -> IfInfoMsg.ofIndex(index.index()).withFlags(flags, change).write(out);
        }
    }

    private static void writeNetns(MessageWriter out, NetnsRef netns) {
        switch (netns) {
            case NetnsRef.Pid pid -> out.attributeU32(Rtnl.IFLA_NET_NS_PID, (int) pid.pid());
            case NetnsRef.Fd fd -> out.attributeU32(Rtnl.IFLA_NET_NS_FD, fd.fd());
        }
    }
}
