package dev.jrun.spec.check;

import dev.jrun.spec.model.Spec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * root.path must name a directory; a relative path is relative to the bundle (config.md "Root"). That directory
 * must not be the host's root: the runtime pivots into it, and pivot_root(2) fails (EBUSY) when the new root is /.
 */
final class RootPathCheck implements SemanticCheck {
    @Override
    public String name() {
        return "root-path";
    }

    @Override
    public void check(Spec spec, CheckContext context, Findings findings) {
        if (spec.root() == null || spec.root().path() == null) {
            return; // the schema reports it missing
        }
        String given = spec.root().path();
        if (given.isEmpty()) {
            findings.error("/root/path", "root.path is empty", "the container's root filesystem directory", "\"\"");
            return;
        }
        Path resolved = context.bundle().resolve(given).normalize();
        if (!Files.exists(resolved)) {
            findings.error("/root/path", "the root filesystem " + resolved + " does not exist",
                    "an existing directory (relative paths are relative to the bundle " + context.bundle() + ")",
                    Findings.quoted(given));
        } else if (!Files.isDirectory(resolved)) {
            findings.error("/root/path", "the root filesystem " + resolved + " is not a directory", "a directory", Findings.quoted(given));
        } else if (isHostRoot(resolved)) {
            findings.error("/root/path", "the root filesystem resolves to /, the host's own root; the container needs a root of its"
                            + " own (pivot_root(2) cannot make / the new root)",
                    "a directory holding the container's files, e.g. rootfs/ beside the spec; to see host files inside,"
                            + " bind-mount them instead: {destination: /host, source: /, options: [rbind, ro]}",
                    Findings.quoted(given));
        }
    }

    /** After symlinks and "..": "/", "../../.." and a link to / all name the root of the runtime's own mount namespace. */
    private static boolean isHostRoot(Path directory) {
        try {
            return directory.toRealPath().getParent() == null;
        } catch (IOException e) {
            return false; // not ours to judge: the runtime reports what it cannot open
        }
    }
}
