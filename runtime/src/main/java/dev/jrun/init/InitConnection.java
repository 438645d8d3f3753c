package dev.jrun.init;

import dev.jrun.call.Helper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The sync socket between jrun and jrun-init: jrun listens, starts the helper, accepts its
 * connection, sends the plan, then reads its messages one line at a time and acknowledges syncs.
 */
public final class InitConnection implements AutoCloseable {
    private static final byte GO = 'g';
    private static final byte ABORT = 'a';

    /** The helper's `log TEXT` lines (docs/init-protocol.md "Messages"). */
    static final String LOG_PREFIX = "log ";

    private final Path socketPath;
    private java.util.function.Consumer<String> log = text -> {};
    private final ServerSocketChannel server;
    private SocketChannel channel;
    /** What the helper sent and next() has not consumed yet (several lines may arrive at once). */
    private final ByteBuffer received = ByteBuffer.allocate(4096).flip();
    private Selector readiness;
    private SelectionKey key;
    /** One byte into a socket whose buffer the helper drains: only a dead or frozen helper takes longer. */
    private static final Duration ACKNOWLEDGEMENT_TIMEOUT = Duration.ofSeconds(10);

    private InitConnection(Path socketPath, ServerSocketChannel server) {
        this.socketPath = socketPath;
        this.server = server;
    }

    public static InitConnection listen(Path socketPath) throws IOException {
        Files.deleteIfExists(socketPath);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socketPath));
        return new InitConnection(socketPath, server);
    }

    /** Where the helper's `log` lines go (the output of the hooks it runs); by default nowhere. */
    public void onLog(java.util.function.Consumer<String> sink) {
        this.log = sink;
    }

    public Path socketPath() {
        return socketPath;
    }

    /** Waits for the helper to connect; gives up early if it exits first. */
    public void accept(Helper helper, Duration timeout) throws IOException {
        server.configureBlocking(false);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Selector selector = Selector.open()) {
            server.register(selector, SelectionKey.OP_ACCEPT);
            while (channel == null) {
                if (selector.select(20) > 0) {
                    channel = server.accept();
                    selector.selectedKeys().clear();
                } else if (!helper.isAlive()) {
                    throw new IOException("jrun-init exited with status " + helper.exitValue() + " before it connected");
                } else if (System.nanoTime() > deadline) {
                    throw new IOException("jrun-init did not connect within " + timeout.toMillis() + " ms");
                }
            }
        }
        // Non-blocking from here on: every read and write waits through the selector, with a deadline,
        // so that a helper stuck in a system call cannot hold create (and the id's lock) forever.
        channel.configureBlocking(false);
        readiness = Selector.open();
        key = channel.register(readiness, 0);
        Files.deleteIfExists(socketPath);
    }

    /** Sends the plan; the helper must take all of it within timeout. */
    public void send(byte[] plan, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ByteBuffer buffer = ByteBuffer.wrap(plan);
        while (buffer.hasRemaining()) {
            if (channel.write(buffer) == 0) {
                await(SelectionKey.OP_WRITE, deadline, timeout, "take the plan");
            }
        }
    }

    /** The next message, which must come within timeout; a closed socket is {@link InitMessage.Closed}. */
    public InitMessage next(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        var line = new ByteArrayOutputStream();
        while (true) {
            if (!received.hasRemaining()) {
                received.clear();
                int read = channel.read(received);
                received.flip();
                if (read < 0) {
                    return new InitMessage.Closed();
                }
                if (read == 0) {
                    await(SelectionKey.OP_READ, deadline, timeout, "report");
                    continue;
                }
            }
            byte b = received.get();
            if (b == '\n') {
                String text = line.toString(StandardCharsets.UTF_8);
                if (text.startsWith(LOG_PREFIX)) {
                    // What a hook in the container printed: for the runtime's log, not a step of the conversation.
                    log.accept(text.substring(LOG_PREFIX.length()));
                    line.reset();
                    continue;
                }
                return InitMessage.parse(text);
            }
            line.write(b);
        }
    }

    private void await(int operation, long deadline, Duration timeout, String what) throws IOException {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            String limit = timeout.toSeconds() >= 1 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
            throw new InitTimeoutException("jrun-init did not " + what + " within " + limit
                    + " (stuck in a system call? /proc/PID/stack of the helper and the init shows where)");
        }
        key.interestOps(operation);
        readiness.select(Math.max(1, remaining / 1_000_000));
        readiness.selectedKeys().clear();
    }

    /** The helper said nothing, or took nothing, for longer than the caller allowed. */
    public static final class InitTimeoutException extends IOException {
        private static final long serialVersionUID = 1L;

        InitTimeoutException(String message) {
            super(message);
        }
    }

    /** The acknowledgement of a `sync` or of `ready`: the helper goes on. */
    public void proceed() throws IOException {
        send(new byte[] {GO}, ACKNOWLEDGEMENT_TIMEOUT);
    }

    /** The helper exits at once, quietly (closing the connection has the same effect). */
    public void abort() {
        try {
            if (channel != null && channel.isOpen()) {
                channel.write(ByteBuffer.wrap(new byte[] {ABORT})); // one byte into an empty socket buffer: never 0
            }
        } catch (IOException ignored) {
            // the helper is gone already, which is what abort wants
        }
    }

    @Override
    public void close() throws IOException {
        try {
            if (readiness != null) {
                readiness.close();
            }
            if (channel != null) {
                channel.close();
            }
            server.close();
        } finally {
            Files.deleteIfExists(socketPath);
        }
    }
}
