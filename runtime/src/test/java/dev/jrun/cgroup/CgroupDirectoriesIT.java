package dev.jrun.cgroup;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jrun.error.JrunException;
import dev.jrun.sys.ProcFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A container's cgroup directories on this host's real hierarchies (root required), with a child of the test's own
 * as the container's process. Only cgroups below /jrun-test-RANDOM and that one child are touched, and removed by
 * exact path and pid; the test JVM itself is never moved.
 */
class CgroupDirectoriesIT {
    private static final Duration LONG = TestCgroups.LONG;

    private final String top = TestCgroups.randomName();
    private final CgroupLayout layout = CgroupLayout.readOwn();
    private List<Membership> own;
    private Process child;

    @BeforeEach
    void readOwnCgroups() throws IOException {
        assumeTrue(layout.kind() != CgroupLayout.Kind.NONE, "no cgroup file system is mounted");
        // A container with a read-only /sys/fs/cgroup (docker's default) cannot hold this test; this host's are writable.
        assumeTrue(layout.mounts().stream().noneMatch(CgroupMount::readOnly), "a cgroup file system is mounted read-only here");
        own = Membership.of(ProcessHandle.current().pid());
    }

    @AfterEach
    void removeWhatTheTestMade() throws Exception {
        TestCgroups.end(child);
        for (CgroupMount mount : layout.mounts()) {
            Path base = mount.mountPoint().resolve(top);
            for (Path made : List.of(base.resolve("a/b"), base.resolve("a"), base.resolve("c"), base)) {
                TestCgroups.rmdirWhenFree(made); // deepest first, each by its exact path
            }
        }
    }

    @Test
    void makesEveryLevelInEveryHierarchyPlacesTheProcessAndRemovesExactlyWhatItMade() throws Exception {
        List<ContainerCgroup> cgroups = CgroupPaths.resolve(Optional.of("/" + top + "/a/b"), "c1", false, own, layout);
        assertFalse(cgroups.isEmpty());
        List<Path> before = topLevels(cgroups);
        CgroupDirectories directories = new CgroupDirectories(cgroups);

        CreatedCgroups made = directories.create();

        List<Path> expected = new ArrayList<>();
        for (ContainerCgroup cgroup : cgroups) {
            Path base = cgroup.mount().mountPoint().resolve(top);
            expected.addAll(List.of(base, base.resolve("a"), base.resolve("a/b")));
            assertEquals(base.resolve("a/b"), cgroup.directory());
            if (cgroup.mount() instanceof CgroupMount.V1 v1 && v1.options().contains("cpuset")) {
                assertEquals(read(cgroup.mount().mountPoint().resolve("cpuset.cpus")), read(cgroup.directory().resolve("cpuset.cpus")),
                        "a cpuset made gets its parent's CPUs, level by level");
            }
        }
        assertEquals(expected, made.made());

        child = TestCgroups.sleeper();
        directories.join(child.pid());
        assertEquals(cgroups.stream().map(ContainerCgroup::directory).toList(), currentDirectories(child.pid(), cgroups));

        child.destroyForcibly();
        assertTrue(child.waitFor(LONG.toSeconds(), TimeUnit.SECONDS));
        awaitEmpty(cgroups);
        CgroupDirectories.Removal removal = CgroupDirectories.remove(made);

        assertEquals(made.made().reversed(), removal.removed());
        assertEquals(List.of(), removal.kept());
        made.made().forEach(dir -> assertFalse(Files.exists(dir), "removed: " + dir));
        before.forEach(dir -> assertTrue(Files.isDirectory(dir), "untouched: " + dir));
    }

    @Test
    void aParentThatExistedStaysAndABusyCgroupIsNamedUntilItsProcessHasGone() throws Exception {
        List<ContainerCgroup> cgroups = CgroupPaths.resolve(Optional.of("/" + top + "/c"), "c1", false, own, layout);
        List<Path> parents = new ArrayList<>();
        for (ContainerCgroup cgroup : cgroups) {
            Path parent = cgroup.directory().getParent();
            Files.createDirectory(parent); // a pod's cgroup, say: with its cpuset values like any parent in use
            CgroupFiles.fillEmptyCpuset(cgroup.mount(), parent);
            parents.add(parent);
        }
        CgroupDirectories directories = new CgroupDirectories(cgroups);

        CreatedCgroups made = directories.create();
        assertEquals(cgroups.stream().map(ContainerCgroup::directory).toList(), made.made(), "only the leaves are made");

        child = TestCgroups.sleeper();
        directories.join(child.pid());
        JrunException.SystemFailure busy = assertThrows(JrunException.SystemFailure.class, () -> CgroupDirectories.remove(made));
        for (ContainerCgroup cgroup : cgroups) {
            assertTrue(busy.getMessage().contains(cgroup.directory() + ": Device or resource busy"), busy.getMessage());
            assertTrue(Files.isDirectory(cgroup.directory()));
        }

        child.destroyForcibly();
        assertTrue(child.waitFor(LONG.toSeconds(), TimeUnit.SECONDS));
        awaitEmpty(cgroups);
        assertEquals(made.made().reversed(), CgroupDirectories.remove(made).removed());
        parents.forEach(parent -> assertTrue(Files.isDirectory(parent), "not the container's to remove: " + parent));
    }

    @Test
    void aParentMadeWithAPlainMkdirGetsItsCpusetValuesSoThatTheContainerCanJoin() throws Exception {
        List<ContainerCgroup> cgroups = CgroupPaths.resolve(Optional.of("/" + top + "/c"), "c1", false, own, layout);
        Optional<ContainerCgroup> cpuset = cgroups.stream()
                .filter(c -> c.mount() instanceof CgroupMount.V1 v1 && v1.options().contains("cpuset")).findFirst();
        assumeTrue(cpuset.isPresent(), "no v1 cpuset hierarchy here");
        for (ContainerCgroup cgroup : cgroups) {
            Files.createDirectory(cgroup.directory().getParent()); // as an administrator's mkdir leaves it: no CPUs in cpuset
        }
        Path parent = cpuset.get().directory().getParent();
        assertEquals("", read(parent.resolve("cpuset.cpus")));
        CgroupDirectories directories = new CgroupDirectories(cgroups);

        CreatedCgroups made = directories.create();
        child = TestCgroups.sleeper();
        directories.join(child.pid());

        Path root = cpuset.get().mount().mountPoint();
        for (String file : List.of("cpuset.cpus", "cpuset.mems")) {
            assertEquals(read(root.resolve(file)), read(parent.resolve(file)), "the empty parent got the root's " + file);
            assertEquals(read(root.resolve(file)), read(cpuset.get().directory().resolve(file)));
        }
        assertEquals(cgroups.stream().map(ContainerCgroup::directory).toList(), currentDirectories(child.pid(), cgroups));
        child.destroyForcibly();
        assertTrue(child.waitFor(LONG.toSeconds(), TimeUnit.SECONDS));
        awaitEmpty(cgroups);
        assertEquals(made.made().reversed(), CgroupDirectories.remove(made).removed());
    }

    /** Every directory at the top of each hierarchy the container uses, before the test makes anything. */
    private static List<Path> topLevels(List<ContainerCgroup> cgroups) throws IOException {
        List<Path> dirs = new ArrayList<>();
        for (ContainerCgroup cgroup : cgroups) {
            try (Stream<Path> entries = Files.list(cgroup.mount().mountPoint())) {
                entries.filter(Files::isDirectory).forEach(dirs::add);
            }
        }
        return dirs;
    }

    /** Where /proc/PID/cgroup puts the process in the container's hierarchies, through this JVM's mounts. */
    private List<Path> currentDirectories(long pid, List<ContainerCgroup> cgroups) throws IOException {
        List<Membership> memberships = Membership.of(pid);
        return cgroups.stream().map(cgroup -> memberships.stream().filter(m -> m.hierarchy().equals(cgroup.hierarchy()))
                .findFirst().flatMap(m -> layout.mountOf(m).flatMap(mount -> mount.directoryOf(m.path()))).orElseThrow())
                .toList();
    }

    /** A killed and reaped process may count in a cgroup a moment longer. */
    private static void awaitEmpty(List<ContainerCgroup> cgroups) {
        for (ContainerCgroup cgroup : cgroups) {
            await().pollDelay(Duration.ZERO).atMost(LONG).until(() -> read(cgroup.directory().resolve("cgroup.procs")).isEmpty());
        }
    }

    private static String read(Path file) throws IOException {
        return ProcFiles.read(file).strip();
    }
}
