package dev.jrun.server;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Whether the jar this server runs from is still the one it started with. A rebuild rewrites the jar in place
 * (Maven does), and a JVM that then loads a class or a resource it has not read yet reads the new file through
 * the old central directory: garbage, an error in the middle of a request. So before serving a request the server
 * looks, and a changed jar stops it as a client of another build would (STALE): the client starts a server from
 * the new jar.
 */
final class JarWatch {
    private final Optional<Path> jar;
    private final Map<String, Object> started;

    private JarWatch(Optional<Path> jar) {
        this.jar = jar;
        this.started = jar.map(JarWatch::attributes).orElse(Map.of());
    }

    /** The jar holding this class; nothing to watch when the classes come from a directory (tests in an IDE). */
    static JarWatch ofThisJar() {
        try {
            Path location = Path.of(JarWatch.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return new JarWatch(Files.isRegularFile(location) ? Optional.of(location) : Optional.empty());
        } catch (URISyntaxException | RuntimeException e) {
            return new JarWatch(Optional.empty());
        }
    }

    /** What changed, if the jar is no longer the file it was when this server started (gone, replaced or rewritten). */
    Optional<String> change() {
        if (jar.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> now = attributes(jar.get());
        return now.equals(started) ? Optional.empty()
                : Optional.of(jar.get() + " changed since this server started (" + started + " → " + (now.isEmpty() ? "gone" : now) + ")");
    }

    private static Map<String, Object> attributes(Path path) {
        try {
            return Map.copyOf(Files.readAttributes(path, "unix:dev,ino,size,lastModifiedTime"));
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }
}
