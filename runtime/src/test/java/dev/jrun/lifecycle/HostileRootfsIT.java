package dev.jrun.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rootfs made to attack the host: symlinks pointing out of it, ".." in destinations, a mount over
 * /proc files. Nothing of it may touch the host's filesystem.
 */
class HostileRootfsIT {
    @TempDir
    Path work;

    @TempDir
    Path stateRoot;

    Path bundle;
    Path hostTarget;

    @BeforeEach
    void hostileRootfs() throws Exception {
        bundle = Bundles.busyboxBundle(work);
        hostTarget = Files.createDirectories(Path.of("/tmp", "jrun-hostile-" + ProcessHandle.current().pid()));
        Path rootfs = bundle.resolve("rootfs");
        Files.createSymbolicLink(rootfs.resolve("escape"), hostTarget);
        Files.createSymbolicLink(rootfs.resolve("etc-link"), Path.of("/etc"));
        Files.createSymbolicLink(rootfs.resolve("relative-escape"), Path.of("../../../../../../.." + hostTarget));
        // The same path inside the rootfs: where the links lead when the rootfs is the root.
        Files.createDirectories(rootfs.resolve(hostTarget.toString().substring(1)));
    }

    @AfterEach
    void removeHostTarget() throws Exception {
        try (Stream<Path> left = Files.walk(hostTarget)) {
            for (Path path : left.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    @Test
    void symlinksInTheRootfsCannotLeadMountsOrNewFilesOntoTheHost() throws Exception {
        Path spec = Bundles.spec(bundle, "hostile", "grep -E ' /(escape|relative-escape|etc-link)/' /proc/self/mountinfo | wc -l", "");
        Files.writeString(spec, Files.readString(spec).replace("  - {destination: /proc, type: proc, source: proc}\n",
                "  - {destination: /proc, type: proc, source: proc}\n"
                        + "  - {destination: /escape/sub, type: tmpfs, source: tmpfs}\n"
                        + "  - {destination: /relative-escape/deeper/dir, type: tmpfs, source: tmpfs}\n"
                        + "  - {destination: /etc-link/jrun-hostile, type: tmpfs, source: tmpfs}\n"
                        + "  - {destination: /escape/file, type: bind, source: /etc/hostname, options: [bind, ro]}\n"));
        JrunProcess.Result result = JrunProcess.withRoot(stateRoot).run("run", spec.toString());
        assertEquals(0, result.code(), result.err());
        try (Stream<Path> created = Files.list(hostTarget)) {
            assertEquals(0, created.count(), "nothing was created in the host directory the symlinks point at");
        }
        assertTrue(Files.notExists(Path.of("/etc/jrun-hostile")), "nothing was created in the host's /etc");
        // The mounts landed inside the rootfs, where the links resolve when the rootfs is the root.
        assertTrue(Files.isDirectory(bundle.resolve("rootfs").resolve(hostTarget.toString().substring(1)).resolve("sub")));
        assertTrue(Files.isDirectory(bundle.resolve("rootfs/etc/jrun-hostile")));
    }

    @Test
    void aDanglingSymlinkIsNotFollowedOutOfTheRootfs() throws Exception {
        Files.createSymbolicLink(bundle.resolve("rootfs/dangling"), hostTarget.resolve("missing"));
        Path spec = Bundles.spec(bundle, "dangling", "true", "");
        Files.writeString(spec, Files.readString(spec).replace("  - {destination: /proc, type: proc, source: proc}\n",
                "  - {destination: /proc, type: proc, source: proc}\n  - {destination: /dangling/sub, type: tmpfs, source: tmpfs}\n"));
        JrunProcess.Result result = JrunProcess.withRoot(stateRoot).run("run", spec.toString());
        assertEquals(1, result.code());
        assertTrue(result.err().contains("not followed out of it"), result.err());
        assertTrue(Files.notExists(hostTarget.resolve("missing")), "nothing was created on the host");
    }

    @Test
    void dotDotDestinationsAndProcFileMountsAreRefusedBeforeAnythingIsCreated() throws Exception {
        Path spec = Bundles.spec(bundle, "dotdot", "true", "");
        Files.writeString(spec, Files.readString(spec).replace("  - {destination: /proc, type: proc, source: proc}\n",
                "  - {destination: /proc, type: proc, source: proc}\n"
                        + "  - {destination: /../../../tmp/jrun-x, type: tmpfs, source: tmpfs}\n"
                        + "  - {destination: /proc/sys/kernel/core_pattern, type: bind, source: /etc/hostname, options: [bind]}\n"));
        JrunProcess.Result result = JrunProcess.withRoot(stateRoot).run("run", spec.toString());
        assertEquals(3, result.code());
        assertTrue(result.err().contains("must not contain \"..\""), result.err());
        assertTrue(result.err().contains("a mount over a /proc file is refused"), result.err());
        try (Stream<Path> left = Files.list(stateRoot)) {
            assertEquals(0, left.count());
        }
    }
}
