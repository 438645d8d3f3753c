package dev.jrun.netlink;

import dev.jrun.sys.Errno;
import java.util.Map;

/**
 * errno names for network errors, which dev.jrun.sys.Errno (written for mounts and processes) does
 * not all know; everything else is Errno's. ENODEV is worded here without Errno's hint about
 * filesystem types, which would mislead about an interface.
 */
final class NetErrno {
    static final int EPERM = 1;
    static final int ESRCH = 3;
    static final int EBADF = 9;
    static final int EACCES = 13;
    static final int EEXIST = 17;
    static final int ENODEV = 19;
    static final int EINVAL = 22;
    static final int ERANGE = 34;
    static final int EOPNOTSUPP = 95;
    static final int EADDRNOTAVAIL = 99;
    static final int ENETDOWN = 100;
    static final int ENETUNREACH = 101;

    private static final Map<Integer, String> NETWORK = Map.ofEntries(
            Map.entry(6, "ENXIO (no such device or address)"),
            Map.entry(ENODEV, "ENODEV (no such device)"),
            Map.entry(ERANGE, "ERANGE (numerical result out of range)"),
            Map.entry(71, "EPROTO (protocol error)"),
            Map.entry(90, "EMSGSIZE (message too long)"),
            Map.entry(92, "ENOPROTOOPT (protocol not available)"),
            Map.entry(93, "EPROTONOSUPPORT (protocol not supported)"),
            Map.entry(97, "EAFNOSUPPORT (address family not supported by protocol)"),
            Map.entry(98, "EADDRINUSE (address already in use)"),
            Map.entry(EADDRNOTAVAIL, "EADDRNOTAVAIL (cannot assign requested address)"),
            Map.entry(ENETDOWN, "ENETDOWN (network is down)"),
            Map.entry(ENETUNREACH, "ENETUNREACH (network is unreachable)"),
            Map.entry(105, "ENOBUFS (no buffer space available)"),
            Map.entry(113, "EHOSTUNREACH (no route to host)"));

    private NetErrno() {}

    static String describe(int errno) {
        String network = NETWORK.get(errno);
        return network != null ? network : Errno.describe(errno);
    }
}
