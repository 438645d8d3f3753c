package dev.jrun.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.cgroup.CgroupLayout;
import dev.jrun.cgroup.Membership;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `jrun server` leaves the cgroups of whoever started it for jrun-server at the top of each hierarchy, and logs each
 * hierarchy (docs/server.md, "Its own cgroup"); CgroupMoverIT shows that the cgroups left can then be removed.
 */
class ServerCgroupIT {
    @TempDir
    Path work;

    @Test
    void theServerMovesIntoJrunServerInEveryHierarchyAndLogsEach() throws Exception {
        // Where every cgroup mount is read-only (a container with docker's default /sys/fs/cgroup) the server can only skip.
        assumeTrue(CgroupLayout.readOwn().mounts().stream().anyMatch(m -> !m.readOnly()), "every cgroup file system is read-only here");
        ServerProcess server = ServerProcess.start(work.resolve("server"), work, 30);
        try {
            // The move runs beside the first requests: its last line says it is over.
            await().atMost(Duration.ofSeconds(30)).until(() -> server.log().contains("left the caller's cgroups"));
            CgroupLayout layout = CgroupLayout.readOwn();
            List<Membership> memberships = Membership.of(server.pid());
            String log = server.log();
            for (Membership membership : memberships) {
                String said = log.lines().filter(l -> l.contains(": cgroup " + membership.hierarchy() + ": ")).findFirst()
                        .orElseThrow(() -> new AssertionError("no line for " + membership.hierarchy() + " in\n" + log));
                if (said.contains(": moved from ")) {
                    Path expected = layout.mountOf(membership).orElseThrow().mountPoint().resolve("jrun-server");
                    assertTrue(said.contains(" into " + expected), said);
                    assertEquals(expected, layout.mountOf(membership).flatMap(m -> m.directoryOf(membership.path())).orElseThrow(),
                            "where /proc/" + server.pid() + "/cgroup has it in " + membership.hierarchy());
                }
            }
            assertTrue(log.contains("moved from "), "moved in some hierarchy on this root-run host:\n" + log);
        } finally {
            server.stop();
        }
    }
}
