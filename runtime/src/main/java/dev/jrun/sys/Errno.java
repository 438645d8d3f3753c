package dev.jrun.sys;

import java.util.Map;

/** errno numbers (x86_64 Linux) as people read them: "EPERM (operation not permitted)". */
public final class Errno {
    private static final Map<Integer, String[]> KNOWN = Map.ofEntries(
            Map.entry(1, new String[] {"EPERM", "operation not permitted"}),
            Map.entry(2, new String[] {"ENOENT", "no such file or directory"}),
            Map.entry(3, new String[] {"ESRCH", "no such process"}),
            Map.entry(4, new String[] {"EINTR", "interrupted system call"}),
            Map.entry(5, new String[] {"EIO", "input/output error"}),
            Map.entry(6, new String[] {"ENXIO", "no such device or address"}),
            Map.entry(7, new String[] {"E2BIG", "argument list too long"}),
            Map.entry(8, new String[] {"ENOEXEC", "exec format error"}),
            Map.entry(9, new String[] {"EBADF", "bad file descriptor"}),
            Map.entry(11, new String[] {"EAGAIN", "resource temporarily unavailable"}),
            Map.entry(12, new String[] {"ENOMEM", "cannot allocate memory"}),
            Map.entry(13, new String[] {"EACCES", "permission denied"}),
            Map.entry(16, new String[] {"EBUSY", "device or resource busy"}),
            Map.entry(17, new String[] {"EEXIST", "file exists"}),
            Map.entry(18, new String[] {"EXDEV", "invalid cross-device link"}),
            Map.entry(19, new String[] {"ENODEV", "no such device"}),
            Map.entry(20, new String[] {"ENOTDIR", "not a directory"}),
            Map.entry(21, new String[] {"EISDIR", "is a directory"}),
            Map.entry(22, new String[] {"EINVAL", "invalid argument"}),
            Map.entry(24, new String[] {"EMFILE", "too many open files"}),
            Map.entry(28, new String[] {"ENOSPC", "no space left on device"}),
            Map.entry(30, new String[] {"EROFS", "read-only file system"}),
            Map.entry(34, new String[] {"ERANGE", "numerical result out of range"}),
            Map.entry(36, new String[] {"ENAMETOOLONG", "file name too long"}),
            Map.entry(38, new String[] {"ENOSYS", "function not implemented"}),
            Map.entry(39, new String[] {"ENOTEMPTY", "directory not empty"}),
            Map.entry(40, new String[] {"ELOOP", "too many levels of symbolic links"}),
            Map.entry(71, new String[] {"EPROTO", "protocol error"}),
            Map.entry(75, new String[] {"EOVERFLOW", "value too large for defined data type (an id not mapped in the user namespace?)"}),
            Map.entry(90, new String[] {"EMSGSIZE", "message too long"}),
            Map.entry(92, new String[] {"ENOPROTOOPT", "protocol not available"}),
            Map.entry(93, new String[] {"EPROTONOSUPPORT", "protocol not supported"}),
            Map.entry(95, new String[] {"EOPNOTSUPP", "operation not supported"}),
            Map.entry(97, new String[] {"EAFNOSUPPORT", "address family not supported by protocol"}),
            Map.entry(98, new String[] {"EADDRINUSE", "address already in use"}),
            Map.entry(99, new String[] {"EADDRNOTAVAIL", "cannot assign requested address"}),
            Map.entry(100, new String[] {"ENETDOWN", "network is down"}),
            Map.entry(101, new String[] {"ENETUNREACH", "network is unreachable"}),
            Map.entry(105, new String[] {"ENOBUFS", "no buffer space available"}),
            Map.entry(113, new String[] {"EHOSTUNREACH", "no route to host"}),
            Map.entry(111, new String[] {"ECONNREFUSED", "connection refused"}));

    private Errno() {}

    public static String describe(int errno) {
        String[] known = KNOWN.get(errno);
        return known == null ? "errno " + errno : known[0] + " (" + known[1] + ")";
    }
}
