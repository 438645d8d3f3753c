package dev.jrun.server;

import dev.jrun.sys.NativeException;
import dev.jrun.sys.Syscall;
import dev.jrun.sys.SyscallNumber;
import dev.jrun.sys.UnixSockets;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The directories of servers that are gone (docs/server.md, "Where the server lives"): a server in a throwaway
 * namespace dies with it and leaves its directory under /run/jrun-server. A server sweeps its siblings once, after
 * its start-up: a sibling is removed only when it has the form of a default server directory (16 hex digits), is
 * this uid's, nothing answers on its socket, no client holds its start lock (flock), and its log has been quiet for
 * {@link #QUIET}; and only the files a server and its clients make there are removed, then the directory if empty.
 */
final class StaleSiblings {
    static final Duration QUIET = Duration.ofMinutes(10);
    private static final Pattern KEY = Pattern.compile("[0-9a-f]{16}");
    private static final List<String> SERVER_FILES = List.of(Server.SOCKET, Server.PID_FILE, ServerLog.FILE, Server.START_LOCK);
    private static final int LOCK_EX_NB = 2 | 4;
    private static final int O_RDWR_CLOEXEC = 2 | 02000000;

    private StaleSiblings() {}

    /** One line per directory removed; nothing when own is not a default server directory. */
    static List<String> sweep(Path own, Instant now) {
        List<String> removed = new ArrayList<>();
        Path parent = own.getParent();
        if (parent == null || !KEY.matcher(own.getFileName().toString()).matches()) {
            return removed;
        }
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(parent)) {
            for (Path sibling : siblings) {
                if (!sibling.equals(own) && KEY.matcher(sibling.getFileName().toString()).matches() && stale(sibling, now)) {
                    removeLocked(sibling).ifPresent(removed::add);
                }
            }
        } catch (IOException e) {
            removed.add("sweep of " + parent + " stopped: " + e.getMessage());
        }
        return removed;
    }

    private static boolean stale(Path dir, Instant now) {
        try {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
                    || (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS) != UnixSockets.effectiveUid()) {
                return false;
            }
            Path log = dir.resolve(ServerLog.FILE);
            Instant lastWord = Files.exists(log) ? Files.getLastModifiedTime(log).toInstant() : Files.getLastModifiedTime(dir).toInstant();
            if (lastWord.isAfter(now.minus(QUIET))) {
                return false;
            }
            Path socket = dir.resolve(Server.SOCKET);
            if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Syscall.call(SyscallNumber.CLOSE, UnixSockets.connect(socket));
                    return false; // a server answers (from any namespace: a socket file is reached by its inode)
                } catch (NativeException e) {
                    return true; // ECONNREFUSED: nobody listens any more
                }
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Under the start lock, so that no client starts a server there meanwhile; empty when it cannot be taken. */
    private static java.util.Optional<String> removeLocked(Path dir) {
        try (Arena arena = Arena.ofConfined()) {
            long fd = Syscall.call(SyscallNumber.OPENAT, Syscall.AT_FDCWD, arena.allocateFrom(dir.resolve(Server.START_LOCK).toString()).address(),
                    O_RDWR_CLOEXEC);
            try {
                if (fd >= 0 && Syscall.call(SyscallNumber.FLOCK, fd, LOCK_EX_NB) < 0) {
                    return java.util.Optional.empty(); // a client is starting a server there now
                }
                for (String name : SERVER_FILES) {
                    Files.deleteIfExists(dir.resolve(name));
                }
                Files.delete(dir);
                return java.util.Optional.of("removed " + dir + ": the directory of a server that is gone (quiet for over "
                        + QUIET.toMinutes() + " min, nothing listening)");
            } catch (IOException e) {
                return java.util.Optional.of("left " + dir + ": " + e.getMessage());
            } finally {
                if (fd >= 0) {
                    Syscall.call(SyscallNumber.CLOSE, fd);
                }
            }
        }
    }
}
