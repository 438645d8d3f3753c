package dev.jrun.spec.check;

import dev.jrun.spec.model.Spec;
import java.nio.file.Files;
import java.nio.file.Path;

/** root.path must name a directory; a relative path is relative to the bundle (config.md "Root"). */
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
        }
    }
}
