package dev.jrun.spec.check;

/** Shared rules for paths inside the container. */
final class PathRules {
    private PathRules() {}

    static boolean hasDotDot(String path) {
        for (String segment : path.split("/")) {
            if (segment.equals("..")) {
                return true;
            }
        }
        return false;
    }

    /** Reports a path that is not absolute or that climbs with "..", which could step out of the rootfs. */
    static void requireAbsoluteContained(String pointer, String path, String what, Findings findings) {
        if (path == null) {
            return;
        }
        if (!path.startsWith("/")) {
            findings.error(pointer, what + " must be an absolute path inside the container", "a path starting with /",
                    Findings.quoted(path));
        } else if (hasDotDot(path)) {
            findings.error(pointer, what + " must not contain \"..\" (it could reach outside the root filesystem)",
                    "a path without .. segments", Findings.quoted(path));
        }
    }
}
