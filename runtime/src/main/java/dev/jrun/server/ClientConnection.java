package dev.jrun.server;

import dev.jrun.sys.FileDescriptors;
import dev.jrun.sys.NativeException;
import dev.jrun.sys.UnixSockets;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One client's socket, seen from the request's thread: frames in (through {@link Readiness}, so waiting never
 * pins a carrier) and out. Only the first frame may carry descriptors; any that come later are closed and
 * refused.
 */
final class ClientConnection implements AutoCloseable {
    /** What a read asks the kernel for at once; frames larger than this arrive in several reads. */
    private static final int READ_SIZE = 64 * 1024;
    /** Room for more descriptors than a REQUEST carries, so that extra ones are seen (and closed), not dropped silently. */
    private static final int MAX_FDS = 8;

    private final int fd;
    private final Readiness readiness;
    private final FrameDecoder decoder = new FrameDecoder();
    private boolean firstFrameRead;
    /** The first failure of this connection (lost, or a protocol error), for the server's log. */
    private IOException failure;

    ClientConnection(int fd, Readiness readiness) {
        this.fd = fd;
        this.readiness = readiness;
    }

    /** Calls onHangup once the client's end has closed (see {@link Readiness#watchHangup}). */
    Readiness.HangupWatch watchHangup(Runnable onHangup) {
        return readiness.watchHangup(fd, onHangup);
    }

    /** The first frame and the descriptors that came with it; empty when the client closed before sending a byte. */
    record First(Frame frame, List<Integer> fds) {}

    UnixSockets.PeerCredentials peer() throws IOException {
        try {
            return UnixSockets.peerCredentials(fd);
        } catch (NativeException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /**
     * The first frame with its descriptors, read before deadlineNanos; empty if the client closed without
     * sending anything (a client or `jrun server` checking whether a server answers).
     */
    Optional<First> first(long deadlineNanos) throws IOException {
        List<Integer> fds = new ArrayList<>();
        try {
            Optional<Frame> frame = read(deadlineNanos, fds);
            firstFrameRead = true;
            return frame.map(f -> new First(f, List.copyOf(fds)));
        } catch (IOException | RuntimeException e) {
            fds.forEach(FileDescriptors::close);
            throw e;
        }
    }

    /** Why the connection failed, if it did: the server logs protocol errors and lost clients. */
    Optional<IOException> failure() {
        return Optional.ofNullable(failure);
    }

    /** The next frame, however long the client takes (it may be waiting for a container to exit). */
    Frame next() throws IOException {
        try {
            return nextFrame();
        } catch (IOException e) {
            failure = failure == null ? e : failure;
            throw e;
        }
    }

    private Frame nextFrame() throws IOException {
        if (!firstFrameRead) {
            throw new IllegalStateException("the first frame is read with first()");
        }
        List<Integer> fds = new ArrayList<>();
        Optional<Frame> frame = read(0, fds);
        if (!fds.isEmpty()) {
            fds.forEach(FileDescriptors::close);
            throw new ProtocolException("descriptors sent after the REQUEST (only the REQUEST carries any)");
        }
        return frame.orElseThrow(() -> new EOFException("the jrun client closed the connection"));
    }

    void send(Frame frame) throws IOException {
        try {
            UnixSockets.sendAll(fd, FrameCodec.encode(frame));
        } catch (NativeException e) {
            IOException lost = new IOException("cannot send " + frame.getClass().getSimpleName() + " to the jrun client: " + e.getMessage(), e);
            failure = failure == null ? lost : failure;
            throw lost;
        }
    }

    /** Empty at a clean end of stream before any byte of a frame; fds collects what arrives on the way. */
    private Optional<Frame> read(long deadlineNanos, List<Integer> fds) throws IOException {
        while (true) {
            Optional<Frame> frame = decoder.next();
            if (frame.isPresent()) {
                return frame;
            }
            Optional<UnixSockets.Received> received;
            try {
                received = UnixSockets.receive(fd, READ_SIZE, MAX_FDS, true);
            } catch (NativeException e) {
                throw new IOException("cannot read from the jrun client: " + e.getMessage(), e);
            }
            if (received.isEmpty()) {
                if (!readiness.awaitReadable(fd, deadlineNanos)) {
                    throw new InterruptedIOException("the jrun client sent no complete frame in time");
                }
                continue;
            }
            UnixSockets.Received got = received.get();
            fds.addAll(got.fds());
            if (got.controlTruncated()) {
                throw new ProtocolException("more descriptors than a REQUEST carries (at most " + MAX_FDS + " received)");
            }
            if (got.endOfStream()) {
                if (decoder.hasPartialFrame() || !fds.isEmpty()) {
                    throw new ProtocolException("the connection ended inside a frame");
                }
                return Optional.empty();
            }
            decoder.append(got.data());
        }
    }

    @Override
    public void close() {
        FileDescriptors.close(fd);
    }
}
