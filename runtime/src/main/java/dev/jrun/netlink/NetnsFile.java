package dev.jrun.netlink;

import dev.jrun.sys.Errno;
import dev.jrun.sys.NativeException;
import java.nio.file.Path;

/**
 * An open network namespace file (/proc/PID/ns/net, /run/netns/NAME): a descriptor to hand the
 * kernel as IFLA_NET_NS_FD, or to setns(2). Holding it open keeps the namespace alive even if its
 * last process exits. Close it once the request that uses it is done.
 */
public final class NetnsFile implements AutoCloseable {
    static final String OPEN = "open network namespace";

    private final Path path;
    private final int fd;
    private boolean closed;

    private NetnsFile(Path path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    public static NetnsFile open(Path path) throws NetlinkException {
        try {
            return new NetnsFile(path, Libc.open(path.toString(), Libc.O_RDONLY | Libc.O_CLOEXEC));
        } catch (NativeException e) {
            throw new NetlinkException(OPEN, path.toString(), e.errno(), "", explainOpen(e.errno()));
        }
    }

    /** The namespace as link requests name it. Valid while this file is open. */
    public NetnsRef ref() {
        return NetnsRef.fd(fd, path.toString());
    }

    public Path path() {
        return path;
    }

    int fd() {
        return fd;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                Libc.close(fd);
            } catch (NativeException e) {
                // Only EBADF is possible, and then there is nothing left to close.
            }
        }
    }

    static String explainOpen(int errno) {
        return switch (errno) {
            case Errno.ENOENT -> "no such file: the namespace was never created, was deleted, or its process has exited";
            case Errno.EACCES, Errno.EPERM -> "jrun may not open it (it needs to run as root)";
            default -> null;
        };
    }
}
