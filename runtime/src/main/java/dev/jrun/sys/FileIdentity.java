package dev.jrun.sys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A file named by device and inode rather than by path: a path can be replaced or reused, the pair
 * names one file for as long as it exists. Used to tell the init that still runs jrun-init from the
 * one that has exec'd the container's program, and a network namespace from a later one at the same path.
 */
public record FileIdentity(long device, long inode) {

    /** The identity of the file path resolves to (following symlinks and /proc magic links), or empty if it cannot be read. */
    public static Optional<FileIdentity> of(Path path) {
        try {
            var attributes = Files.readAttributes(path, "unix:dev,ino");
            return Optional.of(new FileIdentity(((Number) attributes.get("dev")).longValue(), ((Number) attributes.get("ino")).longValue()));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
            return Optional.empty();
        }
    }
}
