package dev.jrun.lifecycle;

import dev.jrun.call.Helper;
import dev.jrun.call.Invocation;
import dev.jrun.error.JrunException;
import dev.jrun.init.InitConnection;
import dev.jrun.init.InitHelper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/** Starting jrun-init for create and exec alike, and how long each side of the conversation may take. */
final class HelperStart {
    /** From spawning the helper to its connection: its start and the sealed copy of itself take milliseconds. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /**
     * How long jrun-init may go without a word between two messages (a whole run of mount steps, say): far above
     * what any step takes, and finite, so a helper stuck in a system call fails the command, which then cleans up,
     * instead of holding it and the id's lock forever.
     */
    static final Duration SILENCE_LIMIT = Duration.ofSeconds(120);
    /** How long a helper may take to exit by itself (reaping its child, restoring a terminal) before it is killed. */
    static final Duration GRACE = Duration.ofSeconds(2);

    private HelperStart() {}

    /** The jrun-init binary beside jrun's jar (or -Djrun.init). */
    static Path binary() throws JrunException {
        return InitHelper.locate().orElseThrow(() -> new JrunException.SystemFailure(
                "cannot find the jrun-init helper next to jrun's jar; rebuild with scripts/build.sh, or set -Djrun.init=PATH", null));
    }

    /** Through the invocation: a child of this JVM in one-shot mode, of the calling client under the server. */
    static Helper spawn(Path binary, InitConnection connection, int preservedFds) throws IOException {
        return Invocation.current().helpers().spawn(binary, InitHelper.environment(connection.socketPath(), preservedFds));
    }
}
