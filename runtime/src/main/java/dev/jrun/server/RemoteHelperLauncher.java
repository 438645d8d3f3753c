package dev.jrun.server;

import dev.jrun.call.Helper;
import dev.jrun.call.HelperLauncher;
import dev.jrun.sys.Errno;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Starts jrun-init as the client's child, not the server's: SPAWN, answered by SPAWNED. The caller (conmon,
 * containerd's shim, a shell) then has the helper, and through it the container's init, among its descendants,
 * as it would with a one-shot jrun. At most one helper per request (docs/server.md).
 */
final class RemoteHelperLauncher implements HelperLauncher {
    private final ClientConnection connection;
    private boolean spawned;

    RemoteHelperLauncher(ClientConnection connection) {
        this.connection = connection;
    }

    @Override
    public synchronized Helper spawn(Path binary, Map<String, String> environment) throws IOException {
        if (spawned) {
            throw new IOException("a request can start only one jrun-init through its client (docs/server.md)");
        }
        spawned = true;
        var env = environment.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).sorted().toList();
        connection.send(new Frame.Spawn(binary.toString(), env));
        Frame answer = connection.next();
        if (!(answer instanceof Frame.Spawned(long pid))) {
            throw new ProtocolException("the jrun client answered SPAWN with " + answer.getClass().getSimpleName() + ", not SPAWNED");
        }
        if (pid < 0) {
            throw new IOException("the jrun client could not start " + binary + ": " + Errno.describe((int) -pid));
        }
        return new RemoteHelper(connection, pid);
    }
}
