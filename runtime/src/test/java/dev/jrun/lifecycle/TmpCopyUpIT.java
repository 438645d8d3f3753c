package dev.jrun.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** tmpcopyup on real containers (root required): the tmpfs starts with the image's files, as runc and crun do it. */
class TmpCopyUpIT extends CgroupVerbsFixture {

    @Test
    void aTmpfsWithTmpcopyupHoldsACopyOfWhatTheImageHasThere() throws Exception {
        Path data = bundle.resolve("rootfs/data");
        Files.createDirectories(data.resolve("sub"));
        Files.writeString(data.resolve("sub/file"), "from the image\n");
        Files.createSymbolicLink(data.resolve("link"), Path.of("sub/file"));
        Files.setPosixFilePermissions(data.resolve("sub"), java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x---"));
        dev.jrun.testing.Command.of("chown", "1234:5678", data.resolve("sub/file").toString()).check(java.time.Duration.ofSeconds(10));
        String mounts = """
                  - {destination: /data, type: tmpfs, source: tmpfs, options: [nosuid, nodev, tmpcopyup, size=1m]}
                """;
        Path spec = Bundles.spec(bundle, "cu", "cat /data/link; stat -c '%a %u:%g' /data/sub /data/sub/file; "
                + "echo new > /data/sub/other; grep ' /data ' /proc/self/mountinfo | cut -d' ' -f9", "");
        Files.writeString(spec, Files.readString(spec).replace("mounts:\n", "mounts:\n" + mounts));
        JrunProcess.Result run = jrun.run("run", spec.toString());
        assertEquals(0, run.code(), run.err());
        assertEquals(List.of("from the image", "710 0:0", "644 1234:5678", "tmpfs"), run.out().lines().toList());
        assertTrue(Files.notExists(data.resolve("sub/other")), "writes go to the tmpfs, not the image");
    }

    @Test
    void tmpcopyupOnAnythingButATmpfsIsRefusedWithItsPointer() throws Exception {
        Path spec = Bundles.spec(bundle, "cb", "true", "");
        Files.writeString(spec, Files.readString(spec).replace("mounts:\n",
                "mounts:\n  - {destination: /mnt, type: bind, source: /tmp, options: [rbind, tmpcopyup]}\n"));
        JrunProcess.Result run = jrun.run("run", spec.toString());
        assertEquals(3, run.code());
        assertTrue(run.err().contains("/mounts/0/options/1") && run.err().contains("tmpcopyup"), run.err());
    }
}
