package dev.jrun.testing;

import static org.awaitility.Awaitility.await;

import dev.jrun.server.Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The start lock of a server directory, seen by a test: a client that finds no server runs its command one-shot and
 * forks a starter that holds DIR/jrun-server.lock until the server it starts listens, has written its pid file and has
 * answered once (docs/server.md). A test that looks for that server, or stops it, waits for the lock first.
 */
public final class ServerStartLock {
    private ServerStartLock() {}

    /** Returns once no client is starting a server in dir (flock(1) takes the same kind of lock as the client). */
    public static void awaitFree(Path dir, Duration limit) {
        Path lock = dir.resolve(Server.START_LOCK);
        await().atMost(limit).until(() -> !Files.exists(lock)
                || new ProcessBuilder("flock", "-n", lock.toString(), "true").start().waitFor() == 0);
    }
}
