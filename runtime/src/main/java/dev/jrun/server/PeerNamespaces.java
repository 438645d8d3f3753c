package dev.jrun.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a client runs in the server's namespaces. A request means what it means only there: pids (the state's,
 * --pid-file's, kill's), paths (bundle, --root), network devices, ids and cgroup paths are all read in the
 * server's namespaces, so a caller in others (nsenter, a sandbox) must be served by a server of its own. The client
 * names the default server directory after its namespaces (docs/server.md); this is the server's own check, for
 * directories shared across namespaces on purpose (JRUN_SERVER_DIR) or by accident.
 */
final class PeerNamespaces {
    /** The same list as the client's key (jrun-client.c, installation_key). */
    static final List<String> KINDS = List.of("pid", "mnt", "net", "user", "cgroup");
    private static final Path PROC = Path.of("/proc");

    /** This process's namespaces, read once: a process never changes them behind its own back (the JVM never does). */
    private final Map<String, Optional<Path>> own = new LinkedHashMap<>();

    PeerNamespaces() {
        for (String kind : KINDS) {
            own.put(kind, link(PROC.resolve("self/ns").resolve(kind)));
        }
    }

    /**
     * The kinds in which the peer's namespace differs from this process's; all of them when the peer cannot be
     * seen (pid 0: it is in a pid namespace this server cannot see into, or it has gone).
     */
    List<String> differing(long peerPid) {
        if (peerPid <= 0) {
            return KINDS;
        }
        List<String> differing = new ArrayList<>();
        for (String kind : KINDS) {
            Optional<Path> theirs = link(PROC.resolve(Long.toString(peerPid)).resolve("ns").resolve(kind));
            if (theirs.isEmpty() || !theirs.equals(own.get(kind))) {
                differing.add(kind);
            }
        }
        return differing;
    }

    private static Optional<Path> link(Path path) {
        try {
            return Optional.of(Files.readSymbolicLink(path));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
