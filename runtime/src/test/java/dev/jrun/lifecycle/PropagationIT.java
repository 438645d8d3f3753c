package dev.jrun.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.testing.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mount propagation between host and container, both ways, read from mountinfo's optional fields
 * (shared:N, master:N). The host side is three directories the test makes shared mounts of itself.
 */
class PropagationIT {
    @TempDir
    Path work;

    @TempDir
    Path stateRoot;

    Path bundle;
    Path volumes;
    final List<String> hostMounts = new ArrayList<>();
    JrunProcess jrun;

    @BeforeEach
    void sharedHostMounts() throws Exception {
        bundle = Bundles.busyboxBundle(work);
        volumes = Files.createDirectories(work.resolve("volumes"));
        for (String name : List.of("shared", "slave", "private")) {
            Path dir = Files.createDirectories(volumes.resolve(name));
            // A bind onto itself made shared: a peer group the container's binds can join.
            exec("mount", "--bind", dir.toString(), dir.toString());
            hostMounts.add(dir.toString());
            exec("mount", "--make-shared", dir.toString());
        }
        jrun = JrunProcess.withRoot(stateRoot);
    }

    @AfterEach
    void unmountWhatTheTestMounted() throws Exception {
        jrun.run("delete", "--force", "prop");
        for (String mount : hostMounts.reversed()) {
            // run, not check: clean-up goes on whatever the exit code (a test may have removed it already).
            Command.of("umount", "-R", mount).run(Duration.ofSeconds(30));
        }
    }

    @Test
    void eachModeCarriesMountsTheWaysItShould() throws Exception {
        Path spec = Bundles.spec(bundle, "prop",
                "for m in shared slave private; do mkdir -p /$m/inside; mount -t tmpfs inside-$m /$m/inside; done;"
                        + " while true; do sleep 1; done", "");
        Files.writeString(spec, Files.readString(spec).replace("  - {destination: /proc, type: proc, source: proc}\n",
                "  - {destination: /proc, type: proc, source: proc}\n"
                        + "  - {destination: /shared, type: bind, source: " + volumes.resolve("shared") + ", options: [rbind, rshared]}\n"
                        + "  - {destination: /slave, type: bind, source: " + volumes.resolve("slave") + ", options: [rbind, rslave]}\n"
                        + "  - {destination: /private, type: bind, source: " + volumes.resolve("private") + ", options: [rbind, rprivate]}\n"));
        assertEquals(0, jrun.run("create", spec.toString()).code());
        assertEquals(0, jrun.run("start", "prop").code());
        long pid = jrun.run("state", "prop").json().get("pid").asLong();
        Path containerMountinfo = Path.of("/proc", Long.toString(pid), "mountinfo");

        // The container's view of its binds: peer of the host (shared:N) or its slave (master:N), or neither.
        await().atMost(Duration.ofSeconds(10)).until(() -> mountLine(containerMountinfo, "/private/inside") != null);
        assertTrue(mountLine(containerMountinfo, "/shared").contains(" shared:"), mountLine(containerMountinfo, "/shared"));
        assertTrue(mountLine(containerMountinfo, "/slave").contains(" master:"), mountLine(containerMountinfo, "/slave"));
        String privateLine = mountLine(containerMountinfo, "/private");
        assertFalse(privateLine.contains(" shared:") || privateLine.contains(" master:"), privateLine);

        // Container → host: only through the shared bind.
        Path hostMountinfo = Path.of("/proc/self/mountinfo");
        await().atMost(Duration.ofSeconds(10)).until(() -> mountLine(hostMountinfo, volumes.resolve("shared/inside").toString()) != null);
        hostMounts.add(volumes.resolve("shared/inside").toString());
        assertEquals(null, mountLine(hostMountinfo, volumes.resolve("slave/inside").toString()), "rslave does not carry mounts out");
        assertEquals(null, mountLine(hostMountinfo, volumes.resolve("private/inside").toString()), "rprivate carries nothing");

        // Host → container: through shared and slave, not private.
        for (String name : List.of("shared", "slave", "private")) {
            Path dir = Files.createDirectories(volumes.resolve(name).resolve("from-host"));
            exec("mount", "-t", "tmpfs", "from-host-" + name, dir.toString());
            hostMounts.add(dir.toString());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> mountLine(containerMountinfo, "/shared/from-host") != null
                && mountLine(containerMountinfo, "/slave/from-host") != null);
        assertEquals(null, mountLine(containerMountinfo, "/private/from-host"), "rprivate carries nothing in");
    }

    /** The mountinfo line whose mount point is exactly point, or null. */
    private static String mountLine(Path mountinfo, String point) throws java.io.IOException {
        return Files.readAllLines(mountinfo).stream().filter(l -> l.split(" ")[4].equals(point)).reduce((a, b) -> b).orElse(null);
    }

    private static void exec(String... command) throws Exception {
        Command.of(command).check(Duration.ofSeconds(30));
    }
}
