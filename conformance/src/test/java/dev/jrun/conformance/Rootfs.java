package dev.jrun.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The root filesystem every test bundle points at (by absolute path, read-only use only): the
 * directory given with -Dconformance.rootfs, or a busybox rootfs built once per run by
 * scripts/make-rootfs.sh into a temporary directory that is removed when the run ends.
 */
final class Rootfs {
    private static Path shared;

    private Rootfs() {}

    static synchronized Path path() {
        if (shared == null) {
            String configured = System.getProperty("conformance.rootfs", "");
            shared = configured.isBlank() ? build() : Path.of(configured).toAbsolutePath();
            if (!Files.isExecutable(shared.resolve("bin/sh"))) {
                throw new IllegalStateException("the rootfs " + shared + " has no executable /bin/sh (busybox)");
            }
        }
        return shared;
    }

    private static Path build() {
        try {
            // Readable by every user: tests run the container process as other users, and in a user namespace.
            Path dir = Files.setPosixFilePermissions(Files.createTempDirectory("conformance-rootfs-"), PosixFilePermissions.fromString("rwxr-xr-x"));
            Path log = dir.resolveSibling(dir.getFileName() + ".log");
            Process process = new ProcessBuilder(RuntimeUnderTest.repoRoot().resolve("scripts/make-rootfs.sh").toString(), dir.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("scripts/make-rootfs.sh failed: " + Files.readString(log));
            }
            Files.delete(log);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> remove(dir)));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Removes the rootfs, unless something is still mounted in it (then removing could reach into the mount). */
    private static void remove(Path dir) {
        try {
            if (!Host.mountPointsUnder(dir).isEmpty()) {
                System.err.println("conformance: left " + dir + " in place: mounts remain under it " + Host.mountPointsUnder(dir));
                return;
            }
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            System.err.println("conformance: could not remove " + dir + ": " + e);
        }
    }
}
