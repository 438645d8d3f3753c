package dev.jrun.call;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Starts jrun-init. The helper (and so the container's init it clones) must descend from the
 * process that called jrun: conmon and containerd's shim are subreapers that wait for it. A
 * one-shot JVM is that process's child, so it spawns the helper itself; the warm server is not, so
 * it asks its client to spawn it.
 */
public interface HelperLauncher {

    /**
     * Starts binary with exactly this environment (nothing else of the caller's) and the caller's
     * standard input, output and error, which become the container's.
     */
    Helper spawn(Path binary, Map<String, String> environment) throws IOException;
}
