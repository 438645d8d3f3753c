package dev.jrun.cgroup;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The mover on the real kernel (root required), on a child of the test's own: the child is first put in a throwaway
 * cgroup standing for a caller's (a pod, a systemd unit), then moved out as `jrun server` moves itself. The test JVM
 * itself is never moved. Only cgroups named jrun-test-RANDOM… and the one child are touched, and removed by exact
 * path and pid.
 */
class CgroupMoverIT {
    private final String callers = TestCgroups.randomName();
    private final String target = callers + "-target";
    private final CgroupLayout layout = CgroupLayout.readOwn();
    private Process child;

    @AfterEach
    void removeWhatTheTestMade() throws Exception {
        TestCgroups.end(child);
        for (CgroupMount mount : layout.mounts()) {
            for (String name : List.of(callers, target)) {
                TestCgroups.rmdirWhenFree(mount.mountPoint().resolve(name));
            }
        }
    }

    @Test
    void movesTheProcessOutOfItsCallersCgroupsWhichCanThenBeRemoved() throws Exception {
        assumeTrue(layout.kind() != CgroupLayout.Kind.NONE, "no cgroup file system is mounted");
        // A container with a read-only /sys/fs/cgroup (docker's default) cannot hold this test; this host's are writable.
        assumeTrue(layout.mounts().stream().noneMatch(CgroupMount::readOnly), "a cgroup file system is mounted read-only here");
        child = TestCgroups.sleeper();
        long pid = child.pid();

        // The caller's cgroups.
        MoveResult intoCallers = CgroupMover.move(pid, callers);
        Map<String, Path> callersCgroups = directories(intoCallers);
        assertFalse(callersCgroups.isEmpty(), String.join("\n", intoCallers.lines()));
        assertEquals(callersCgroups, currentDirectories(pid, callersCgroups.keySet()));
        callersCgroups.forEach((hierarchy, dir) -> {
            assertEquals(layout.mountOf(membership(pid, hierarchy)).orElseThrow().mountPoint().resolve(callers), dir);
            assertThrows(FileSystemException.class, () -> Files.delete(dir), "a cgroup with a process in it cannot be removed: " + dir);
        });

        MoveResult out = CgroupMover.move(pid, target);

        Map<String, Path> targets = directories(out);
        assertEquals(callersCgroups.keySet(), targets.keySet(), "moved in every hierarchy it was movable in:\n"
                + String.join("\n", out.lines()));
        assertEquals(skippedHierarchies(intoCallers), skippedHierarchies(out));
        assertEquals(targets, currentDirectories(pid, targets.keySet()), "what /proc/" + pid + "/cgroup says now");
        out.moved().forEach(moved -> assertEquals("/" + callers, moved.from()));
        for (Path dir : callersCgroups.values()) {
            assertDoesNotThrow(() -> Files.delete(dir), "the caller's cgroup can be torn down: " + dir);
        }
        assertTrue(child.isAlive(), "the child lives on in its new cgroups");

        // A second server moving into the same cgroup finds it made.
        MoveResult again = CgroupMover.move(pid, target);
        assertEquals(targets, directories(again));
        again.moved().forEach(moved -> assertFalse(moved.created(), moved.toString()));
    }

    private static Map<String, Path> directories(MoveResult result) {
        return result.moved().stream().collect(Collectors.toMap(MoveResult.Moved::hierarchy, MoveResult.Moved::directory));
    }

    private static List<String> skippedHierarchies(MoveResult result) {
        return result.skipped().stream().map(MoveResult.Skipped::hierarchy).toList();
    }

    /** Where /proc/PID/cgroup puts the process in these hierarchies, through this JVM's mounts. */
    private Map<String, Path> currentDirectories(long pid, Set<String> hierarchies) throws IOException {
        return Membership.of(pid).stream().filter(m -> hierarchies.contains(m.hierarchy())).collect(Collectors.toMap(Membership::hierarchy,
                m -> layout.mountOf(m).flatMap(mount -> mount.directoryOf(m.path())).orElseThrow()));
    }

    private static Membership membership(long pid, String hierarchy) {
        try {
            return Membership.of(pid).stream().filter(m -> m.hierarchy().equals(hierarchy)).findFirst().orElseThrow();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
