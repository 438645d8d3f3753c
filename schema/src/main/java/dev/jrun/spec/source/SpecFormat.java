package dev.jrun.spec.source;

import java.nio.file.Path;
import java.util.Locale;

/** The two syntaxes a spec may be written in. */
public enum SpecFormat {
    JSON,
    YAML;

    /**
     * By extension; otherwise by content, since a bundle's config may have any name:
     * a document whose first non-blank character is '{' is read as JSON so that JSON
     * errors are reported in JSON terms.
     */
    public static SpecFormat of(Path file, String text) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".json")) {
            return JSON;
        }
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return YAML;
        }
        return text.strip().startsWith("{") ? JSON : YAML;
    }
}
