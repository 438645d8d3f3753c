package dev.jrun.netlink;

/** RTM_NEWROUTE, encoded without any I/O. */
public final class RouteRequests {
    private RouteRequests() {}

    /**
     * Adds route to the main table as a boot-time (administrator's) unicast route leaving through the
     * link of index outputLink. A route with a next hop has universe scope; one without is on-link
     * (link scope). A default route is dst_len 0 with no RTA_DST.
     */
    public static NetlinkRequest newRoute(IpRoute route, int outputLink) {
        MessageWriter out = new MessageWriter();
        new RtMsg(route.isIpv6() ? Rtnl.AF_INET6 : Rtnl.AF_INET, route.destination().prefixLength(), 0, 0,
                Rtnl.RT_TABLE_MAIN, Rtnl.RTPROT_BOOT, route.via() == null ? Rtnl.RT_SCOPE_LINK : Rtnl.RT_SCOPE_UNIVERSE,
                Rtnl.RTN_UNICAST, 0).write(out);
        if (!route.isDefault()) {
            out.attribute(Rtnl.RTA_DST, route.destination().address().getAddress());
        }
        if (route.via() != null) {
            out.attribute(Rtnl.RTA_GATEWAY, route.via().getAddress());
        }
        out.attributeU32(Rtnl.RTA_OIF, outputLink);
        if (route.metric() != null) {
            out.attributeU32(Rtnl.RTA_PRIORITY, route.metric().intValue());
        }
        return NetlinkRequest.of(Rtnl.RTM_NEWROUTE, Rtnl.NLM_F_CREATE | Rtnl.NLM_F_EXCL, out);
    }
}
