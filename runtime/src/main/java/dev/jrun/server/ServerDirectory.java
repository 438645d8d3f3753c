package dev.jrun.server;

import dev.jrun.error.JrunException;
import dev.jrun.sys.UnixSockets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The server's directory (docs/server.md, "Where the server lives"): its socket, lock, log and pid file. Whoever
 * can write there can put a socket of their own in the server's place and be handed the callers' commands and
 * descriptors, so the directory must be this uid's and closed to everyone else.
 */
final class ServerDirectory {
    private static final Set<PosixFilePermission> WRITABLE_BY_OTHERS =
            Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

    private ServerDirectory() {}

    static void prepare(Path dir) throws JrunException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (IOException e) {
                throw new JrunException.SystemFailure("cannot create the server's directory " + dir + ": " + e.getMessage(), e);
            }
        }
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new JrunException.SystemFailure("cannot read the server's directory " + dir + ": " + e.getMessage(), e);
        }
        if (!attributes.isDirectory()) {
            throw new JrunException.InvalidInput("the server's directory " + dir + " is not a directory; name another with --dir");
        }
        int owner;
        try {
            owner = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new JrunException.SystemFailure("cannot read the owner of " + dir + ": " + e.getMessage(), e);
        }
        if (owner != UnixSockets.effectiveUid()) {
            throw new JrunException.InvalidInput("the server's directory " + dir + " belongs to uid " + owner + ", not to this server's uid "
                    + UnixSockets.effectiveUid() + "; another user could replace the socket there: use a directory of your own");
        }
        if (attributes.permissions().stream().anyMatch(WRITABLE_BY_OTHERS::contains)) {
            throw new JrunException.InvalidInput("the server's directory " + dir + " is writable by others ("
                    + PosixFilePermissions.toString(attributes.permissions()) + "), who could replace the socket there: chmod go-w it");
        }
    }
}
