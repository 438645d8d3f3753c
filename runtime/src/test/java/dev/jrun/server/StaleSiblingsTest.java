package dev.jrun.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.sys.Syscall;
import dev.jrun.sys.SyscallNumber;
import dev.jrun.sys.UnixSockets;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sweep of gone servers' directories, on real files and sockets. */
class StaleSiblingsTest {
    @TempDir
    Path parent;

    private final Instant now = Instant.now();

    private Path server(String key, Duration quietFor) throws Exception {
        Path dir = Files.createDirectory(parent.resolve(key));
        Path log = Files.writeString(dir.resolve(ServerLog.FILE), "a log\n");
        Files.setLastModifiedTime(log, FileTime.from(now.minus(quietFor)));
        Files.writeString(dir.resolve(Server.START_LOCK), "");
        return dir;
    }

    /** A socket file nobody listens on any more: bound, listened on, closed. */
    private static void deadSocket(Path dir) throws Exception {
        Syscall.call(SyscallNumber.CLOSE, UnixSockets.listen(dir.resolve(Server.SOCKET), 1));
    }

    @Test
    void onlyQuietUnlockedDirectoriesWithNobodyListeningGo() throws Exception {
        Path own = server("00000000000000aa", Duration.ZERO);
        Path gone = server("00000000000000bb", Duration.ofHours(1));
        deadSocket(gone);
        Path goneWithoutSocket = server("00000000000000cc", Duration.ofHours(1));
        Path recent = server("00000000000000dd", Duration.ofMinutes(1));
        deadSocket(recent);
        Path live = server("00000000000000ee", Duration.ofHours(1));
        int listening = UnixSockets.listen(live.resolve(Server.SOCKET), 1);
        Path starting = server("00000000000000ff", Duration.ofHours(1));
        Path notAKey = server("not-a-server-dir", Duration.ofHours(1));
        Path withMore = server("0000000000000011", Duration.ofHours(1));
        Files.writeString(withMore.resolve("someone-elses"), "x");
        try (RandomAccessFile lockFile = new RandomAccessFile(starting.resolve(Server.START_LOCK).toFile(), "rw")) {
            // flock, as the client takes it while it starts a server
            assertEquals(0, Syscall.call(SyscallNumber.FLOCK, fdOf(lockFile), 2));
            List<String> lines = StaleSiblings.sweep(own, now);
            assertTrue(Files.notExists(gone) && Files.notExists(goneWithoutSocket), lines.toString());
            assertTrue(Files.exists(own) && Files.exists(recent) && Files.exists(live) && Files.exists(starting) && Files.exists(notAKey),
                    lines.toString());
            assertTrue(Files.exists(withMore.resolve("someone-elses")), "only a server's own files are removed");
            assertEquals(3, lines.size(), lines.toString());
        } finally {
            Syscall.call(SyscallNumber.CLOSE, listening);
        }
    }

    @Test
    void aDirectoryNamedByHandIsNotSwept() throws Exception {
        Path gone = server("00000000000000bb", Duration.ofHours(1));
        Path own = Files.createDirectory(parent.resolve("mine"));
        assertEquals(List.of(), StaleSiblings.sweep(own, now));
        assertTrue(Files.exists(gone));
    }

    private static int fdOf(RandomAccessFile file) throws Exception {
        Path self = Path.of("/proc/self/fd");
        try (var entries = Files.list(self)) {
            for (Path entry : entries.toList()) {
                try {
                    Path target = Files.readSymbolicLink(entry);
                    if (target.toString().endsWith(Server.START_LOCK) && target.toString().contains("00000000000000ff")) {
                        return Integer.parseInt(entry.getFileName().toString());
                    }
                } catch (java.io.IOException ignored) {
                    // an fd closed meanwhile
                }
            }
        }
        throw new AssertionError("the lock file's descriptor is not open");
    }
}
