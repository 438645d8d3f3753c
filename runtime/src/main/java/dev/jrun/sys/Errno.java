package dev.jrun.sys;

import java.util.Map;

/**
 * errno: the one table of the numbers jrun tells apart (Linux, x86_64 and arm64 share them) and of
 * how people read them: "EPERM (operation not permitted)".
 */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int ENXIO = 6;
    public static final int E2BIG = 7;
    public static final int ENOEXEC = 8;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int EXDEV = 18;
    public static final int ENODEV = 19;
    public static final int ENOTDIR = 20;
    public static final int EISDIR = 21;
    public static final int EINVAL = 22;
    public static final int EMFILE = 24;
    public static final int ENOSPC = 28;
    public static final int EROFS = 30;
    public static final int EPIPE = 32;
    public static final int ERANGE = 34;
    public static final int ENAMETOOLONG = 36;
    public static final int ENOSYS = 38;
    public static final int ENOTEMPTY = 39;
    public static final int ELOOP = 40;
    public static final int EPROTO = 71;
    public static final int EOVERFLOW = 75;
    public static final int EMSGSIZE = 90;
    public static final int ENOPROTOOPT = 92;
    public static final int EPROTONOSUPPORT = 93;
    public static final int EOPNOTSUPP = 95;
    public static final int EAFNOSUPPORT = 97;
    public static final int EADDRINUSE = 98;
    public static final int EADDRNOTAVAIL = 99;
    public static final int ENETDOWN = 100;
    public static final int ENETUNREACH = 101;
    public static final int ECONNABORTED = 103;
    public static final int ECONNRESET = 104;
    public static final int ENOBUFS = 105;
    public static final int ECONNREFUSED = 111;
    public static final int EHOSTUNREACH = 113;

    private static final Map<Integer, String> KNOWN = Map.ofEntries(
            known(EPERM, "EPERM", "operation not permitted"),
            known(ENOENT, "ENOENT", "no such file or directory"),
            known(ESRCH, "ESRCH", "no such process"),
            known(EINTR, "EINTR", "interrupted system call"),
            known(EIO, "EIO", "input/output error"),
            known(ENXIO, "ENXIO", "no such device or address"),
            known(E2BIG, "E2BIG", "argument list too long"),
            known(ENOEXEC, "ENOEXEC", "exec format error"),
            known(EBADF, "EBADF", "bad file descriptor"),
            known(EAGAIN, "EAGAIN", "resource temporarily unavailable"),
            known(ENOMEM, "ENOMEM", "cannot allocate memory"),
            known(EACCES, "EACCES", "permission denied"),
            known(EBUSY, "EBUSY", "device or resource busy"),
            known(EEXIST, "EEXIST", "file exists"),
            known(EXDEV, "EXDEV", "invalid cross-device link"),
            known(ENODEV, "ENODEV", "no such device"),
            known(ENOTDIR, "ENOTDIR", "not a directory"),
            known(EISDIR, "EISDIR", "is a directory"),
            known(EINVAL, "EINVAL", "invalid argument"),
            known(EMFILE, "EMFILE", "too many open files"),
            known(ENOSPC, "ENOSPC", "no space left on device"),
            known(EROFS, "EROFS", "read-only file system"),
            known(EPIPE, "EPIPE", "broken pipe: the reader has gone"),
            known(ERANGE, "ERANGE", "numerical result out of range"),
            known(ENAMETOOLONG, "ENAMETOOLONG", "file name too long"),
            known(ENOSYS, "ENOSYS", "function not implemented"),
            known(ENOTEMPTY, "ENOTEMPTY", "directory not empty"),
            known(ELOOP, "ELOOP", "too many levels of symbolic links"),
            known(EPROTO, "EPROTO", "protocol error"),
            known(EOVERFLOW, "EOVERFLOW", "value too large for defined data type (an id not mapped in the user namespace?)"),
            known(EMSGSIZE, "EMSGSIZE", "message too long"),
            known(ENOPROTOOPT, "ENOPROTOOPT", "protocol not available"),
            known(EPROTONOSUPPORT, "EPROTONOSUPPORT", "protocol not supported"),
            known(EOPNOTSUPP, "EOPNOTSUPP", "operation not supported"),
            known(EAFNOSUPPORT, "EAFNOSUPPORT", "address family not supported by protocol"),
            known(EADDRINUSE, "EADDRINUSE", "address already in use"),
            known(EADDRNOTAVAIL, "EADDRNOTAVAIL", "cannot assign requested address"),
            known(ENETDOWN, "ENETDOWN", "network is down"),
            known(ENETUNREACH, "ENETUNREACH", "network is unreachable"),
            known(ECONNABORTED, "ECONNABORTED", "software caused connection abort"),
            known(ECONNRESET, "ECONNRESET", "connection reset by peer"),
            known(ENOBUFS, "ENOBUFS", "no buffer space available"),
            known(ECONNREFUSED, "ECONNREFUSED", "connection refused"),
            known(EHOSTUNREACH, "EHOSTUNREACH", "no route to host"));

    private Errno() {}

    private static Map.Entry<Integer, String> known(int number, String name, String text) {
        return Map.entry(number, name + " (" + text + ")");
    }

    public static String describe(int errno) {
        return KNOWN.getOrDefault(errno, "errno " + errno);
    }
}
