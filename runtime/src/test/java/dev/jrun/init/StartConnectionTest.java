package dev.jrun.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `jrun start`'s side of the start socket against a scripted init: every way the conversation can end. */
class StartConnectionTest {
    private static final Duration SHORT = Duration.ofMillis(300);
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final CountDownLatch release = new CountDownLatch(1);
    private Thread init;

    @AfterEach
    void releaseTheInit() throws InterruptedException {
        release.countDown();
        if (init != null) {
            init.join(PATIENCE.toMillis());
        }
    }

    /** The init answers, and keeps the connection until it exec's: start must not return on the answer alone. */
    @Test
    void theAnswerAloneIsNotAStart() throws Exception {
        Path socket = fakeInit("s", "", true);
        var outcome = assertInstanceOf(StartConnection.Outcome.TimedOut.class, StartConnection.start(socket, SHORT));
        assertTrue(outcome.confirmed());
    }

    @Test
    void endOfFileAfterTheAnswerIsTheExec() throws Exception {
        assertInstanceOf(StartConnection.Outcome.Executed.class, StartConnection.start(fakeInit("s", "", false), PATIENCE));
    }

    @Test
    void anErrorLineAfterTheAnswerIsAFailedExec() throws Exception {
        Path socket = fakeInit("s", "error 36 13 EXEC: execve /bin/app\n", false);
        var failed = assertInstanceOf(StartConnection.Outcome.ExecFailed.class, StartConnection.start(socket, PATIENCE));
        assertEquals(new InitMessage.Failure(36, 13, "EXEC", "execve /bin/app"), failed.failure());
    }

    @Test
    void endOfFileWithoutTheAnswerIsUnconfirmed() throws Exception {
        assertInstanceOf(StartConnection.Outcome.Unconfirmed.class, StartConnection.start(fakeInit("", "", false), PATIENCE));
    }

    @Test
    void anInitThatNeverAnswersTimesOutUnconfirmed() throws Exception {
        var outcome = assertInstanceOf(StartConnection.Outcome.TimedOut.class, StartConnection.start(fakeInit("", "", true), SHORT));
        assertFalse(outcome.confirmed());
    }

    @Test
    void anotherAnswerIsAProtocolError() throws Exception {
        IOException e = assertThrows(IOException.class, () -> StartConnection.start(fakeInit("x", "", false), PATIENCE));
        assertTrue(e.getMessage().contains("0x78"), e.getMessage());
    }

    @Test
    void noSocketIsAnIOException() {
        assertThrows(IOException.class, () -> StartConnection.start(dir.resolve("none.sock"), PATIENCE));
    }

    /** One connection: read the start byte, write answer then after, and close unless told to hold it until released. */
    private Path fakeInit(String answer, String after, boolean hold) throws IOException {
        Path socket = dir.resolve("start.sock");
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        init = Thread.ofVirtual().start(() -> {
            try (server; SocketChannel connection = server.accept()) {
                connection.read(ByteBuffer.allocate(1));
                connection.write(ByteBuffer.wrap((answer + after).getBytes(StandardCharsets.UTF_8)));
                if (hold) {
                    release.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (IOException | InterruptedException e) {
                // the test fails on its own side
            }
        });
        return socket;
    }
}
