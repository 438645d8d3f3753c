package dev.jrun.init;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * `jrun start`'s side of the start socket (docs/init-protocol.md, AWAIT_START): one byte to the init, `s`
 * back, then end of file when the init's execve succeeds (the connection is close-on-exec) or the init dies;
 * a failed EXEC sends its error line first. So when {@link #start} reports {@link Outcome.Executed}, the
 * container's process has been exec'd.
 */
public final class StartConnection {
    private static final byte START = 'g';
    private static final byte STARTED = 's';
    /**
     * An error line is at most ~4.4 KB (the helper's buffer), and each startContainer hook adds at most 4 KB of
     * output in `log` lines; anything longer is not the protocol.
     */
    private static final int MAX_ANSWER = 1 << 20;

    private StartConnection() {}

    /** What became of the start. */
    public sealed interface Outcome {
        /** The init confirmed and its execve succeeded. */
        record Executed() implements Outcome {}

        /** The init confirmed, then reported why its process could not be exec'd (it has exited 127). */
        record ExecFailed(InitMessage.Failure failure) implements Outcome {}

        /** The connection closed before the init confirmed: it died, or was not waiting for a start. */
        record Unconfirmed() implements Outcome {}

        /** Nothing conclusive within the deadline; {@code confirmed} tells whether `s` had come. */
        record TimedOut(boolean confirmed, Duration deadline) implements Outcome {}
    }

    /** Connects to the init's start socket and starts it; IOException only when the socket cannot be reached or talked to. */
    public static Outcome start(Path socket, Duration deadline) throws IOException {
        return start(socket, deadline, text -> {});
    }

    /** As {@link #start(Path, Duration)}, with the init's `log` lines (what startContainer hooks printed) to log. */
    public static Outcome start(Path socket, Duration deadline, java.util.function.Consumer<String> log) throws IOException {
        long end = System.nanoTime() + deadline.toNanos();
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap(new byte[] {START}));
            channel.configureBlocking(false);
            var answer = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(512);
            try (Selector selector = Selector.open()) {
                channel.register(selector, SelectionKey.OP_READ);
                while (true) {
                    long left = end - System.nanoTime();
                    if (left <= 0) {
                        return new Outcome.TimedOut(answer.size() > 0, deadline);
                    }
                    selector.select(Math.max(1, Duration.ofNanos(left).toMillis()));
                    selector.selectedKeys().clear();
                    buffer.clear();
                    int read = channel.read(buffer);
                    if (read < 0) {
                        return outcomeOf(answer.toByteArray(), log);
                    }
                    answer.write(buffer.array(), 0, read);
                    if (answer.size() > 0 && answer.toByteArray()[0] != STARTED) {
                        throw new IOException("the init answered the start with byte 0x" + Integer.toHexString(answer.toByteArray()[0] & 0xff)
                                + " instead of 's' (is jrun-init from the same build?)");
                    }
                    if (answer.size() > MAX_ANSWER) {
                        throw new IOException("the init sent more than " + MAX_ANSWER + " bytes after confirming the start");
                    }
                }
            }
        }
    }

    private static Outcome outcomeOf(byte[] answer, java.util.function.Consumer<String> log) throws IOException {
        if (answer.length == 0) {
            return new Outcome.Unconfirmed();
        }
        String line = "";
        for (String each : new String(answer, 1, answer.length - 1, StandardCharsets.UTF_8).split("\n")) {
            if (each.startsWith(InitConnection.LOG_PREFIX)) {
                log.accept(each.substring(InitConnection.LOG_PREFIX.length()));
            } else if (!each.isBlank()) {
                line = each.strip();
            }
        }
        if (line.isEmpty()) {
            return new Outcome.Executed();
        }
        try {
            if (InitMessage.parse(line) instanceof InitMessage.Failure failure) {
                return new Outcome.ExecFailed(failure);
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new IOException("the init said something the protocol does not know after confirming the start: \"" + line + "\"");
    }
}
