package dev.jrun.spec.check;

import java.nio.file.Path;

/**
 * What checks may consult besides the spec.
 *
 * @param bundle the directory relative paths in the spec are resolved against (the spec file's directory)
 * @param host   lookups into the running system, e.g. namespace files
 */
public record CheckContext(Path bundle, HostView host) {}
