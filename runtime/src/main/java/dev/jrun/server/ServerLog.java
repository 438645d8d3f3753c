package dev.jrun.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * &lt;dir&gt;/jrun-server.log (the server's directory, docs/server.md): one line per event an operator may need to explain later (start, stop, a refused
 * peer, a protocol error, a stale build). Appended, never rotated: the events are rare. A log that cannot be
 * written never fails a request.
 */
final class ServerLog {
    static final String FILE = "jrun-server.log";

    private final Path file;
    private final long pid = ProcessHandle.current().pid();

    ServerLog(Path dir) {
        this.file = dir.resolve(FILE);
    }

    Path file() {
        return file;
    }

    synchronized void line(String event) {
        String line = Instant.now() + " jrun server (pid " + pid + "): " + event.replace("\n", "\n    ") + "\n";
        try {
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException ignored) {
            // nowhere better to say it: the server's own stdio is /dev/null when a client started it
        }
    }
}
