package dev.jrun.netlink;

import dev.jrun.spec.net.Cidr;

/** RTM_NEWADDR, encoded without any I/O. */
public final class AddressRequests {
    private AddressRequests() {}

    /**
     * Adds address/prefix to the link of that index. IFA_LOCAL is the interface's own address and
     * IFA_ADDRESS the peer's, which is the same on a broadcast link (that is what `ip addr add`
     * means). IPv6 addresses get IFA_F_NODAD: usable at once, not "tentative" for a second or more
     * of duplicate address detection, which a fresh veth in a fresh namespace does not need.
     */
    public static NetlinkRequest newAddress(int linkIndex, Cidr address) {
        byte[] raw = address.address().getAddress();
        MessageWriter out = new MessageWriter();
        new IfAddrMsg(address.isIpv4() ? Rtnl.AF_INET : Rtnl.AF_INET6, address.prefixLength(),
                address.isIpv4() ? 0 : Rtnl.IFA_F_NODAD, Rtnl.RT_SCOPE_UNIVERSE, linkIndex).write(out);
        out.attribute(Rtnl.IFA_LOCAL, raw);
        out.attribute(Rtnl.IFA_ADDRESS, raw);
        return NetlinkRequest.of(Rtnl.RTM_NEWADDR, Rtnl.NLM_F_CREATE | Rtnl.NLM_F_EXCL, out);
    }
}
