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

    private final Path socketPath;
    private final ServerSocketChannel server;
    private SocketChannel channel;
    private final ByteBuffer one = ByteBuffer.allocate(1);

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
        channel.configureBlocking(true);
        Files.deleteIfExists(socketPath);
    }

    public void send(byte[] plan) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(plan);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /** The next message; a closed socket is {@link InitMessage.Closed}. */
    public InitMessage next() throws IOException {
        var line = new ByteArrayOutputStream();
        while (true) {
            one.clear();
            int read = channel.read(one);
            if (read < 0) {
                return new InitMessage.Closed();
            }
            if (read == 0) {
                continue;
            }
            byte b = one.get(0);
            if (b == '\n') {
                return InitMessage.parse(line.toString(StandardCharsets.UTF_8));
            }
            line.write(b);
        }
    }

    /** The acknowledgement of a `sync` or of `ready`: the helper goes on. */
    public void proceed() throws IOException {
        channel.write(ByteBuffer.wrap(new byte[] {GO}));
    }

    /** The helper exits at once, quietly (closing the connection has the same effect). */
    public void abort() {
        try {
            if (channel != null && channel.isOpen()) {
                channel.write(ByteBuffer.wrap(new byte[] {ABORT}));
            }
        } catch (IOException ignored) {
            // the helper is gone already, which is what abort wants
        }
    }

    @Override
    public void close() throws IOException {
        try {
            if (channel != null) {
                channel.close();
            }
            server.close();
        } finally {
            Files.deleteIfExists(socketPath);
        }
    }
}
