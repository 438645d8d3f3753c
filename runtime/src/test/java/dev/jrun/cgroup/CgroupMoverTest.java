package dev.jrun.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mover's decisions and its skips, over directories that stand in for cgroup mounts (no root, no kernel):
 * CgroupMoverIT moves a real process.
 */
class CgroupMoverTest {
    private static final long PID = 4242;

    @TempDir
    Path fs;

    @Test
    void movesIntoTheNamedCgroupAtTheTopOfEachHierarchyByWritingThePid() throws Exception {
        Path memory = Files.createDirectories(fs.resolve("memory/jrun-server"));
        Files.writeString(memory.resolve("cgroup.procs"), "");
        Path unified = Files.createDirectories(fs.resolve("unified/jrun-server"));
        Files.writeString(unified.resolve("cgroup.procs"), "");
        CgroupLayout layout = new CgroupLayout(List.of(
                new CgroupMount.V1(fs.resolve("memory"), "/", false, List.of("memory")),
                new CgroupMount.Unified(fs.resolve("unified"), "/", false)));

        MoveResult result = CgroupMover.move(PID, "jrun-server", layout,
                Membership.parse("4:memory:/process_api/e0e0\n0::/user.slice\n"));

        assertEquals(List.of(new MoveResult.Moved("memory", "/process_api/e0e0", memory, false),
                new MoveResult.Moved("unified", "/user.slice", unified, false)), result.moved());
        assertEquals(List.of(), result.skipped());
        assertEquals("4242", Files.readString(memory.resolve("cgroup.procs")), "the pid itself, not 0 (which means the writer)");
        assertEquals("4242", Files.readString(unified.resolve("cgroup.procs")));
        assertEquals(List.of("cgroup memory: moved from /process_api/e0e0 into " + memory,
                "cgroup unified: moved from /user.slice into " + unified), result.lines());
    }

    @Test
    void aHierarchyNotMountedOrMountedReadOnlyIsSkippedWithItsReasonAndNothingIsMade() {
        CgroupLayout layout = new CgroupLayout(List.of(new CgroupMount.V1(fs.resolve("memory"), "/docker/4f1c", true, List.of("memory"))));

        MoveResult result = CgroupMover.move(PID, "jrun-server", layout, Membership.parse("4:memory:/docker/4f1c\n5:devices:/\n"));

        assertEquals(List.of(), result.moved());
        assertEquals(List.of(new MoveResult.Skipped("memory", "/docker/4f1c", "mounted read-only at " + fs.resolve("memory")),
                new MoveResult.Skipped("devices", "/", "not mounted in this mount namespace")), result.skipped());
        assertFalse(Files.exists(fs.resolve("memory")));
        assertEquals(List.of("cgroup memory: stays in /docker/4f1c: mounted read-only at " + fs.resolve("memory"),
                "cgroup devices: stays in /: not mounted in this mount namespace"), result.lines());
    }

    @Test
    void aRefusedMoveIsSkippedAndTheCgroupItMadeForItIsRemoved() throws Exception {
        // A plain directory has no cgroup.procs, which the mover never creates: the write fails as a refused one would.
        Files.createDirectories(fs.resolve("pids"));
        CgroupLayout layout = new CgroupLayout(List.of(new CgroupMount.V1(fs.resolve("pids"), "/", false, List.of("pids"))));

        MoveResult result = CgroupMover.move(PID, "jrun-server", layout, Membership.parse("8:pids:/caller\n"));

        assertEquals(List.of(new MoveResult.Skipped("pids", "/caller", fs.resolve("pids/jrun-server/cgroup.procs")
                + " refused pid 4242: No such file or directory")), result.skipped());
        assertFalse(Files.exists(fs.resolve("pids/jrun-server")), "made, refused, removed");
    }

    @Test
    void aDirectoryThatCannotBeMadeIsSkipped() throws Exception {
        Files.writeString(fs.resolve("freezer"), "a file where the mount point should be");
        CgroupLayout layout = new CgroupLayout(List.of(new CgroupMount.V1(fs.resolve("freezer"), "/", false, List.of("freezer"))));

        MoveResult.Skipped skipped = CgroupMover.move(PID, "jrun-server", layout, Membership.parse("6:freezer:/\n")).skipped().getFirst();

        assertTrue(skipped.reason().startsWith("cannot make " + fs.resolve("freezer/jrun-server") + ": "), skipped.reason());
    }

    @Test
    void theNameIsOnePathComponent() {
        CgroupLayout none = new CgroupLayout(List.of());
        for (String name : List.of("", ".", "..", "a/b", "/jrun-server")) {
            assertThrows(IllegalArgumentException.class, () -> CgroupMover.move(PID, name, none, List.of()), name);
        }
    }
}
