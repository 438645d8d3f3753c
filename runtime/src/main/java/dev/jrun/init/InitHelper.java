package dev.jrun.init;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds the jrun-init binary: -Djrun.init, else beside the jar or class directory jrun runs from. */
public final class InitHelper {
    public static final String BINARY = "jrun-init";

    private InitHelper() {}

    /**
     * The helper's whole environment (docs/init-protocol.md, "Transport"): where Java listens for it, and how many of
     * its parent's descriptors from 3 up it takes over for the process (--preserve-fds), when any.
     */
    public static java.util.Map<String, String> environment(Path socket, int preservedFds) {
        return preservedFds == 0 ? java.util.Map.of("JRUN_INIT_SOCK", socket.toString())
                : java.util.Map.of("JRUN_INIT_SOCK", socket.toString(), "JRUN_PRESERVE_FDS", Integer.toString(preservedFds));
    }

    public static Optional<Path> locate() {
        String configured = System.getProperty("jrun.init");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured));
        }
        try {
            Path codeSource = Path.of(InitHelper.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // runtime/target/jrun.jar or runtime/target/classes: the helper is built into runtime/target/.
            Path candidate = codeSource.getParent().resolve(BINARY);
            return Files.isExecutable(candidate) ? Optional.of(candidate) : Optional.empty();
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
