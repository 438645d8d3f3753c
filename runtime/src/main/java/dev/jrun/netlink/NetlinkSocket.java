package dev.jrun.netlink;

import dev.jrun.sys.Errno;
import dev.jrun.sys.NativeException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * An AF_NETLINK/NETLINK_ROUTE socket. It acts on the network namespace it was created in for its
 * whole life, whichever thread uses it later (see {@link NetnsThread}). One request at a time:
 * {@link #exchange} sends one and reads until the kernel's ACK or error for it.
 */
public final class NetlinkSocket implements AutoCloseable {
    /** Big enough for any single reply jrun asks for (a link with all its statistics is ~2 KiB). */
    private static final int RECEIVE_BUFFER = 64 * 1024;
    /** The kernel answers rtnetlink within the send call; a reply not there after this means trouble, not load. */
    private static final long REPLY_TIMEOUT_SECONDS = 5;

    private final int fd;
    private int seq;
    private boolean closed;

    private NetlinkSocket(int fd) {
        this.fd = fd;
    }

    /**
     * Opens a socket in the calling thread's network namespace with extended acks (the kernel's
     * error text) and capped acks (errors do not echo the whole request back), bound to a port the
     * kernel picks.
     */
    public static NetlinkSocket open() throws NativeException {
        int fd = Libc.socket(Rtnl.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, Libc.NETLINK_ROUTE);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment on = arena.allocateFrom(ValueLayout.JAVA_INT, 1);
            optional(() -> Libc.setsockopt(fd, Libc.SOL_NETLINK, Libc.NETLINK_EXT_ACK, on, "NETLINK_EXT_ACK"));
            optional(() -> Libc.setsockopt(fd, Libc.SOL_NETLINK, Libc.NETLINK_CAP_ACK, on, "NETLINK_CAP_ACK"));
            MemorySegment timeout = arena.allocate(16); // struct timeval: long tv_sec, long tv_usec
            timeout.set(ValueLayout.JAVA_LONG, 0, REPLY_TIMEOUT_SECONDS);
            Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, timeout, "SO_RCVTIMEO");
            MemorySegment address = arena.allocate(12); // sockaddr_nl: u16 family, u16 pad, u32 pid (0: kernel picks), u32 groups
            address.set(ValueLayout.JAVA_SHORT, 0, (short) Rtnl.AF_NETLINK);
            Libc.bind(fd, address);
            return new NetlinkSocket(fd);
        } catch (NativeException | RuntimeException e) {
            try {
                Libc.close(fd);
            } catch (NativeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * Sends request and returns every reply to it, the last being an ACK, an error or NLMSG_DONE.
     * Replies to other sequence numbers (late answers to an earlier request) are dropped.
     */
    public synchronized List<NetlinkReply> exchange(NetlinkRequest request) throws NativeException {
        if (closed) {
            throw new IllegalStateException("netlink socket is closed");
        }
        int mySeq = ++seq;
        try (Arena arena = Arena.ofConfined()) {
            byte[] message = request.encode(mySeq);
            MemorySegment out = arena.allocateFrom(ValueLayout.JAVA_BYTE, message);
            while (true) {
                try {
                    Libc.send(fd, out);
                    break;
                } catch (NativeException e) {
                    if (e.errno() != Errno.EINTR) {
                        throw e;
                    }
                }
            }
            MemorySegment in = arena.allocate(RECEIVE_BUFFER);
            List<NetlinkReply> replies = new ArrayList<>();
            while (true) {
                int length = receive(in);
                for (NetlinkReply reply : ReplyParser.parse(in.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE), length)) {
                    if (reply.seq() != mySeq) {
                        continue;
                    }
                    replies.add(reply);
                    if (!(reply instanceof NetlinkReply.Data)) {
                        return replies;
                    }
                }
            }
        }
    }

    private int receive(MemorySegment buffer) throws NativeException {
        while (true) {
            try {
                long length = Libc.recv(fd, buffer, Libc.MSG_TRUNC);
                if (length > buffer.byteSize()) {
                    throw new MalformedMessageException("a reply of " + length + " bytes did not fit the " + buffer.byteSize() + "-byte buffer");
                }
                return (int) length;
            } catch (NativeException e) {
                if (e.errno() == Errno.EAGAIN) {
                    throw new NativeException("recv (no reply within " + REPLY_TIMEOUT_SECONDS + " s)", e.errno());
                }
                if (e.errno() != Errno.EINTR) {
                    throw e;
                }
            }
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            try {
                Libc.close(fd);
            } catch (NativeException e) {
                // close(2) of a socket fails only for a bad fd; the fd is gone either way.
            }
        }
    }

    private interface Call {
        void run() throws NativeException;
    }

    /** Extended and capped acks only improve error replies: a kernel without them (before 4.12/4.2) still works. */
    private static void optional(Call call) throws NativeException {
        try {
            call.run();
        } catch (NativeException e) {
            if (e.errno() != Errno.ENOPROTOOPT) {
                throw e;
            }
        }
    }
}
