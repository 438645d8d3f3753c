package dev.jrun.netlink;

import dev.jrun.sys.Errno;
import dev.jrun.spec.net.Cidr;
import dev.jrun.spec.net.IpLiteral;

/**
 * What an errno means for the request that got it, in words about that request. The kernel's
 * errnos are shared by many causes (EEXIST, EINVAL); these name the likely one for jrun's use.
 * null when there is nothing to add to the errno and the kernel's own text.
 */
final class Explanations {
    /** ETH_MIN_MTU and ETH_MAX_MTU, the bounds the veth driver sets. */
    static final int VETH_MIN_MTU = 68;
    static final int VETH_MAX_MTU = 65535;

    private Explanations() {}

    /** Causes that read the same whatever the request. */
    static String common(int errno, String where) {
        return switch (errno) {
            case Errno.EPERM -> "changing interfaces needs CAP_NET_ADMIN over " + where + " (run jrun as root)";
            default -> null;
        };
    }

    static String noSuchInterface(String name, String where) {
        return "there is no interface named " + name + " in " + where;
    }

    static String link(int errno, String name, String where) {
        return errno == Errno.ENODEV ? noSuchInterface(name, where) : common(errno, where);
    }

    static String createVeth(int errno, VethPair pair, String where) {
        return switch (errno) {
            case Errno.EEXIST -> pair.hostIndex() == 0
                    ? "interface " + pair.hostName() + " or its peer " + pair.peerName() + " already exists"
                    : "interface " + pair.hostName() + ", its peer " + pair.peerName() + " or the index " + pair.hostIndex() + " already exists";
            case Errno.EOPNOTSUPP -> "this kernel cannot create veth interfaces (is the veth module available?)";
            case Errno.EADDRNOTAVAIL -> "a MAC address is not a unicast Ethernet address";
            case Errno.ESRCH -> "there is no process " + pidOf(pair) + " to take a network namespace from";
            // veth reports a bad MTU without the kernel's usual text, so say it here.
            case Errno.EINVAL -> pair.mtu() != null && (pair.mtu() < VETH_MIN_MTU || pair.mtu() > VETH_MAX_MTU)
                    ? "MTU " + pair.mtu() + " is outside the range veth accepts (" + VETH_MIN_MTU + " to " + VETH_MAX_MTU + ")"
                    : usesFd(pair) ? "a namespace file descriptor is not a network namespace" : null;
            case Errno.EBADF -> "a namespace file descriptor is not open";
            default -> common(errno, where);
        };
    }

    /** After EEXIST, a look at the host side tells which name was taken. */
    static String vethNameTaken(VethPair pair, boolean hostNameTaken, String where) {
        if (hostNameTaken) {
            return "interface " + pair.hostName() + " already exists in " + where;
        }
        String peerWhere = pair.peerNetns() == null ? where : pair.peerNetns().toString();
        return "the peer's name " + pair.peerName() + " is taken in " + peerWhere;
    }

    /** After EEXIST, when the host end's name is free but its index is not: a draw that collided, see ChosenIndex. */
    static String vethIndexTaken(VethPair pair, String holder, String where) {
        return "the index " + pair.hostIndex() + " asked for " + pair.hostName() + " is taken by interface " + holder + " in " + where
                + " (jrun draws it at random, so another attempt draws another)";
    }

    static String moveToNetns(int errno, String name, NetnsRef target, String where) {
        return switch (errno) {
            case Errno.ENODEV -> noSuchInterface(name, where);
            case Errno.EEXIST -> "an interface named " + name + " already exists in " + target;
            case Errno.ESRCH -> target instanceof NetnsRef.Pid pid ? "there is no process with pid " + pid.pid() : null;
            case Errno.EBADF -> "the namespace file descriptor is not open";
            case Errno.EINVAL -> target instanceof NetnsRef.Fd
                    ? "the file is not a network namespace, or " + name + " may not leave its namespace"
                    : name + " may not leave its namespace (loopback and some devices are bound to theirs)";
            default -> common(errno, where);
        };
    }

    static String setMtu(int errno, String name, int mtu, String where) {
        return switch (errno) {
            case Errno.EINVAL -> "MTU " + mtu + " is outside the range " + name + " accepts";
            default -> link(errno, name, where);
        };
    }

    static String addAddress(int errno, Cidr address, String device, String where) {
        return switch (errno) {
            case Errno.EEXIST -> device + " already has the address " + IpLiteral.format(address.address());
            case Errno.EACCES -> address.isIpv4() ? common(errno, where) : "IPv6 is disabled on " + device + " (net.ipv6.conf." + device + ".disable_ipv6)";
            case Errno.EADDRNOTAVAIL -> "the address " + address + " cannot be assigned to " + device;
            case 97 -> Cidr.family(address.address()) + " is not available in " + where;
            default -> link(errno, device, where);
        };
    }

    static String addRoute(int errno, IpRoute route, String where) {
        String via = route.via() == null ? "" : IpLiteral.format(route.via());
        return switch (errno) {
            case Errno.EEXIST -> (route.isDefault() ? "a default " + Cidr.family(route.destination().address()) + " route"
                    : "a route to " + route.destination()) + " already exists in the main table";
            case Errno.ENETUNREACH -> route.via() == null
                    ? "the destination is not reachable through " + route.device()
                    : "the gateway " + via + " is not reachable through " + route.device()
                            + ": no address on " + route.device() + " has a subnet that contains it";
            case Errno.ENETDOWN -> route.device() + " is down; bring it up before routing through it";
            case Errno.EINVAL -> hostBitsSet(route.destination())
                    ? route.destination() + " has bits set past its prefix length: write the network, e.g. 10.1.0.0/16 rather than 10.1.2.3/16"
                    : null;
            default -> link(errno, route.device(), where);
        };
    }

    static String deleteLink(int errno, String name, String where) {
        return switch (errno) {
            case Errno.EOPNOTSUPP -> name + " cannot be deleted: it is not a virtual interface";
            default -> link(errno, name, where);
        };
    }

    private static boolean hostBitsSet(Cidr network) {
        byte[] raw = network.address().getAddress();
        for (int bit = network.prefixLength(); bit < raw.length * 8; bit++) {
            if ((raw[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean usesFd(VethPair pair) {
        return pair.peerNetns() instanceof NetnsRef.Fd || pair.hostNetns() instanceof NetnsRef.Fd;
    }

    private static String pidOf(VethPair pair) {
        return pair.peerNetns() instanceof NetnsRef.Pid p ? "with pid " + p.pid()
                : pair.hostNetns() instanceof NetnsRef.Pid p ? "with pid " + p.pid() : "with that pid";
    }
}
