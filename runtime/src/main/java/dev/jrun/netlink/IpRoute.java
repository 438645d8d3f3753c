package dev.jrun.netlink;

import dev.jrun.spec.net.Cidr;
import dev.jrun.spec.net.IpLiteral;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * A route for the main table: destination (prefix 0 = default route), an optional next hop, the
 * device it leaves through, an optional metric. Without a next hop the destination is on-link.
 */
public record IpRoute(Cidr destination, InetAddress via, String device, Long metric) {

    public IpRoute {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(device, "device");
        if (via != null && via.getClass() != destination.address().getClass()) {
            throw new IllegalArgumentException("route to " + destination + ": next hop " + IpLiteral.format(via)
                    + " is " + Cidr.family(via) + " but the destination is " + Cidr.family(destination.address()));
        }
        if (metric != null && (metric < 0 || metric > 0xffff_ffffL)) {
            throw new IllegalArgumentException("route metric " + metric + " is out of range (0..4294967295)");
        }
    }

    /** The default route of via's family, through device. */
    public static IpRoute defaultVia(InetAddress via, String device, Long metric) {
        InetAddress any = InetAddress.ofLiteral(via instanceof Inet4Address ? "0.0.0.0" : "::");
        return new IpRoute(new Cidr(any, 0), via, device, metric);
    }

    public boolean isDefault() {
        return destination.prefixLength() == 0;
    }

    public boolean isIpv6() {
        return destination.address() instanceof Inet6Address;
    }

    /** As `ip route` writes it: "default via 10.0.0.1 dev eth0 metric 100". */
    @Override
    public String toString() {
        return (isDefault() ? "default" : destination.toString())
                + (via == null ? "" : " via " + IpLiteral.format(via))
                + " dev " + device
                + (metric == null ? "" : " metric " + metric);
    }
}
