package dev.jrun.state;

import dev.jrun.error.JrunException;
import java.nio.file.Path;

/**
 * Where container state lives when --root is not given: /run/jrun for root; for any other user, who cannot write
 * /run, $XDG_RUNTIME_DIR/jrun (the user's own runtime directory, as runc uses $XDG_RUNTIME_DIR/runc).
 */
public final class StateRoot {
    public static final Path FOR_ROOT = Path.of("/run/jrun");
    static final String RUNTIME_DIR = "XDG_RUNTIME_DIR";

    private StateRoot() {}

    /**
     * @param given        --root, or null
     * @param uid          the caller's effective uid
     * @param xdgRuntimeDir the caller's XDG_RUNTIME_DIR, or null
     */
    public static Path choose(Path given, long uid, String xdgRuntimeDir) throws JrunException.InvalidInput {
        if (given != null) {
            return given;
        }
        if (uid == 0) {
            return FOR_ROOT;
        }
        if (xdgRuntimeDir == null || xdgRuntimeDir.isEmpty()) {
            throw new JrunException.InvalidInput("no state root: jrun runs as uid " + uid + ", which cannot write " + FOR_ROOT
                    + ", and " + RUNTIME_DIR + " is not set; set " + RUNTIME_DIR + " to a directory of yours (such as /run/user/"
                    + uid + ", mode 0700) or pass --root DIR (docs/rootless.md)");
        }
        Path dir = Path.of(xdgRuntimeDir);
        if (!dir.isAbsolute()) {
            throw new JrunException.InvalidInput(RUNTIME_DIR + " is \"" + xdgRuntimeDir + "\", not an absolute path (the XDG"
                    + " base directory specification asks for one); set it to a directory of yours such as /run/user/" + uid
                    + ", or pass --root DIR");
        }
        return dir.resolve("jrun");
    }
}
