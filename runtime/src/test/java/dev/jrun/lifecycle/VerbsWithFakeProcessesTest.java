package dev.jrun.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.error.JrunException;
import dev.jrun.state.ContainerLock;
import dev.jrun.state.ContainerState;
import dev.jrun.state.Phase;
import dev.jrun.state.StateStore;
import dev.jrun.status.Status;
import dev.jrun.state.StatusProbe;
import dev.jrun.sys.FakeProcessTable;
import dev.jrun.sys.FakeProcessTable.Sent;
import dev.jrun.sys.FileIdentity;
import dev.jrun.sys.Signals;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill, delete and the status probe against a recording fake of the host's processes: no root, no kernel. */
class VerbsWithFakeProcessesTest {
    private static final FileIdentity JRUN_INIT = new FileIdentity(1, 100);
    private static final FileIdentity PROGRAM = new FileIdentity(1, 200);
    private static final String CONTAINER_NS = "pid:[4026532000]";

    @TempDir
    Path root;

    /** Stands in for the cgroup mounts. */
    @TempDir
    Path cgroups;

    StateStore store;
    FakeProcessTable processes = new FakeProcessTable();

    @BeforeEach
    void store() {
        store = new StateStore(root);
    }

    private void container(String id, long initPid, Phase phase) throws JrunException {
        container(id, initPid, phase, null);
    }

    private void container(String id, long initPid, Phase phase, ContainerState.Cgroups cgroups) throws JrunException {
        ContainerState state = new ContainerState("1.2.0", id, initPid, 5000 + initPid, 1, 1, "/bundle", "/bundle/rootfs",
                "2026-12-03T00:00:00Z", Map.of(), phase, JRUN_INIT, null, cgroups);
        try (ContainerLock _ = store.reserve(state)) {
            // reserved with its state
        }
    }

    @Test
    void createdWhileTheInitRunsJrunInitRunningOnceItExecdStoppedOnceGone() throws Exception {
        container("c", 10, Phase.CREATED);
        StatusProbe probe = new StatusProbe(processes);
        var init = processes.add(10, 5010, CONTAINER_NS, 1, JRUN_INIT);
        assertEquals(Status.CREATED, probe.statusOf(store.read("c")));
        processes.add(10, 5010, CONTAINER_NS, 1, PROGRAM);
        assertEquals(Status.RUNNING, probe.statusOf(store.read("c")));
        processes.exit(init.pid());
        assertEquals(Status.STOPPED, probe.statusOf(store.read("c")));
        processes.add(10, 9999, FakeProcessTable.HOST_PID_NAMESPACE, 10, PROGRAM); // the pid reused by a stranger
        assertEquals(Status.STOPPED, probe.statusOf(store.read("c")));
    }

    @Test
    void aCreateWhoseCreatorDiedIsStopped() throws Exception {
        container("c", 0, Phase.CREATING);
        assertEquals(Status.STOPPED, new StatusProbe(processes).statusOf(store.read("c")));
        processes.add(1, 1, FakeProcessTable.HOST_PID_NAMESPACE, 1, PROGRAM); // the recorded creator, alive
        assertEquals(Status.CREATING, new StatusProbe(processes).statusOf(store.read("c")));
    }

    @Test
    void killAllWithoutAPidNamespaceOfItsOwnSignalsNothing() throws Exception {
        container("c", 10, Phase.CREATED);
        processes.add(10, 5010, FakeProcessTable.HOST_PID_NAMESPACE, 10, PROGRAM);
        processes.add(11, 1, FakeProcessTable.HOST_PID_NAMESPACE, 11, PROGRAM);
        var refused = assertThrows(JrunException.InvalidInput.class, () -> new Kill(store, processes).kill("c", Signals.SIGTERM, true));
        assertTrue(refused.getMessage().contains("shares its pid namespace"), refused.getMessage());
        assertEquals(List.of(), processes.sent());
        new Kill(store, processes).kill("c", Signals.SIGTERM, false);
        assertEquals(List.of(new Sent(10, Signals.SIGTERM)), processes.sent());
    }

    @Test
    void killAllSignalsTheInitFirstThenOnlyItsNamespace() throws Exception {
        container("c", 10, Phase.CREATED);
        processes.add(9, 1, FakeProcessTable.HOST_PID_NAMESPACE, 9, PROGRAM);
        processes.add(10, 5010, CONTAINER_NS, 1, PROGRAM);
        processes.add(12, 7, CONTAINER_NS, 3, PROGRAM);
        processes.add(13, 7, "pid:[4026532999]", 1, PROGRAM);
        new Kill(store, processes).kill("c", Signals.SIGTERM, true);
        assertEquals(List.of(new Sent(10, Signals.SIGTERM), new Sent(12, Signals.SIGTERM)), processes.sent());
    }

    @Test
    void aJoinedPidNamespaceIsNotTheContainersOwn() throws Exception {
        // The init is not PID 1 there: the namespace was joined, and others live in it.
        container("c", 10, Phase.CREATED);
        processes.add(10, 5010, CONTAINER_NS, 7, PROGRAM);
        processes.add(11, 1, CONTAINER_NS, 1, PROGRAM);
        assertThrows(JrunException.InvalidInput.class, () -> new Kill(store, processes).kill("c", Signals.SIGKILL, true));
        assertEquals(List.of(), processes.sent());
    }

    @Test
    void killOfAStoppedContainerIsRefused() throws Exception {
        container("c", 10, Phase.CREATED);
        assertThrows(JrunException.IncorrectStatus.class, () -> new Kill(store, processes).kill("c", Signals.SIGTERM, false));
        assertEquals(List.of(), processes.sent());
    }

    @Test
    void deleteForceKillsTheRecordedInitOnlyAndRemovesTheState() throws Exception {
        container("c", 10, Phase.CREATED);
        processes.add(10, 5010, FakeProcessTable.HOST_PID_NAMESPACE, 10, PROGRAM);
        processes.add(11, 1, FakeProcessTable.HOST_PID_NAMESPACE, 11, PROGRAM);
        assertThrows(JrunException.IncorrectStatus.class, () -> new Delete(store, processes).delete("c", false));
        assertTrue(Files.isDirectory(root.resolve("c")));
        new Delete(store, processes).delete("c", true);
        assertEquals(List.of(new Sent(10, Signals.SIGKILL)), processes.sent());
        assertTrue(processes.isRunning(11));
        assertFalse(Files.exists(root.resolve("c")));
    }

    @Test
    void deleteForceOfAMissingIdSucceedsPlainDeleteDoesNot() {
        assertThrows(JrunException.NotFound.class, () -> new Delete(store, processes).delete("nosuch", false));
        assertDoesNotThrowAndRemovesNothing();
    }

    private void assertDoesNotThrowAndRemovesNothing() {
        try {
            var outcome = new Delete(store, processes).delete("nosuch", true);
            assertEquals(List.of(), outcome.leftoversRemoved());
        } catch (JrunException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void deleteForceOfAnInterruptedCreateKillsItsInitAndSaysSo() throws Exception {
        container("c", 10, Phase.CREATING); // its creator (pid 1 start 1) is not in the table: dead
        processes.add(10, 5010, CONTAINER_NS, 1, JRUN_INIT);
        var outcome = new Delete(store, processes).delete("c", true);
        assertEquals(List.of(new Sent(10, Signals.SIGKILL)), processes.sent());
        assertEquals(List.of("the init (pid 10)", "the state directory"), outcome.leftoversRemoved());
        assertFalse(Files.exists(root.resolve("c")));
    }

    @Test
    void anUnreadableStateIsNeverDeletedBlind() throws Exception {
        container("c", 10, Phase.CREATED);
        Files.writeString(root.resolve("c/state.json"), "{not json");
        assertThrows(JrunException.SystemFailure.class, () -> new Delete(store, processes).delete("c", true));
        assertTrue(Files.isDirectory(root.resolve("c")));
        assertEquals(List.of(), processes.sent());
    }

    // ---- a container with cgroups: a v1 freezer hierarchy faked by plain files ---------------------------------

    /** The container's cgroup: freezer.state (what the kernel's reads back as written, so a freeze settles at once) and cgroup.procs. */
    private Path freezerCgroup(long... members) throws Exception {
        Path cgroup = Files.createDirectories(cgroups.resolve("freezer/jrun/c"));
        Files.writeString(cgroup.resolve("freezer.state"), "THAWED\n");
        StringBuilder procs = new StringBuilder();
        for (long pid : members) {
            procs.append(pid).append('\n');
        }
        Files.writeString(cgroup.resolve("cgroup.procs"), procs);
        return cgroup;
    }

    private void containerIn(Path cgroup, Phase phase) throws JrunException {
        container("c", 10, phase, new ContainerState.Cgroups(List.of(new ContainerState.Directory("freezer", cgroup.toString())), List.of()));
    }

    private static String freezerState(Path cgroup) throws Exception {
        return Files.readString(cgroup.resolve("freezer.state")).strip();
    }

    @Test
    void pausedWhileTheFreezerIsFrozenWhateverItWasBefore() throws Exception {
        Path cgroup = freezerCgroup(10);
        containerIn(cgroup, Phase.CREATED);
        var init = processes.add(10, 5010, CONTAINER_NS, 1, JRUN_INIT);
        StatusProbe probe = new StatusProbe(processes);
        assertEquals(Status.CREATED, probe.statusOf(store.read("c")));
        new Pause(store, processes).pause("c");
        assertEquals("FROZEN", freezerState(cgroup));
        assertEquals(Status.PAUSED, probe.statusOf(store.read("c")));
        new Pause(store, processes).resume("c");
        assertEquals("THAWED", freezerState(cgroup));
        assertEquals(Status.CREATED, probe.statusOf(store.read("c")), "paused before start, created again once resumed");
        processes.add(10, 5010, CONTAINER_NS, 1, PROGRAM);
        new Pause(store, processes).pause("c");
        Files.writeString(cgroup.resolve("freezer.state"), "FREEZING");
        assertEquals(Status.PAUSED, probe.statusOf(store.read("c")), "freezing counts as paused, as the v1 freezer reports it midway");
        processes.exit(init.pid());
        assertEquals(Status.STOPPED, probe.statusOf(store.read("c")), "a frozen cgroup without its init is no paused container");
    }

    @Test
    void pauseAndResumeRefuseTheWrongStatusAndAStateWithoutCgroups() throws Exception {
        Path cgroup = freezerCgroup(10);
        containerIn(cgroup, Phase.CREATED);
        processes.add(10, 5010, CONTAINER_NS, 1, PROGRAM);
        var notPaused = assertThrows(JrunException.IncorrectStatus.class, () -> new Pause(store, processes).resume("c"));
        assertEquals("cannot resume container \"c\": it is running; resume needs it paused", notPaused.getMessage());
        new Pause(store, processes).pause("c");
        var twice = assertThrows(JrunException.IncorrectStatus.class, () -> new Pause(store, processes).pause("c"));
        assertEquals("cannot pause container \"c\": it is paused; pause needs it created or running", twice.getMessage());
        var start = assertThrows(JrunException.IncorrectStatus.class, () -> new Start(store, processes).start("c"));
        assertEquals(Status.PAUSED, start.status());
        assertThrows(JrunException.IncorrectStatus.class, () -> new Delete(store, processes).delete("c", false));
        assertEquals("FROZEN", freezerState(cgroup), "the refusals changed nothing");

        container("old", 20, Phase.CREATED); // an older build's state: no cgroups
        processes.add(20, 5020, "pid:[4026532001]", 1, PROGRAM);
        var noCgroup = assertThrows(JrunException.InvalidInput.class, () -> new Pause(store, processes).pause("old"));
        assertTrue(noCgroup.getMessage().contains("it has no cgroup of its own"), noCgroup.getMessage());
        processes.exit(20);
        var stopped = assertThrows(JrunException.IncorrectStatus.class, () -> new Pause(store, processes).pause("old"));
        assertEquals(Status.STOPPED, stopped.status());
    }

    @Test
    void aContainerWhoseCgroupsHaveNoFreezerCannotBePaused() throws Exception {
        Path cgroup = Files.createDirectories(cgroups.resolve("memory/jrun/c"));
        container("c", 10, Phase.CREATED, new ContainerState.Cgroups(List.of(new ContainerState.Directory("memory", cgroup.toString())), List.of()));
        processes.add(10, 5010, CONTAINER_NS, 1, PROGRAM);
        var refused = assertThrows(JrunException.SystemFailure.class, () -> new Pause(store, processes).pause("c"));
        assertTrue(refused.getMessage().contains("has a freezer"), refused.getMessage());
        assertEquals(Status.RUNNING, new StatusProbe(processes).statusOf(store.read("c")));
    }

    @Test
    void killAllOfAContainerWithCgroupsSignalsExactlyItsMembersInASharedPidNamespace() throws Exception {
        Path cgroup = freezerCgroup(10, 12);
        Path child = Files.createDirectories(cgroup.resolve("sub"));
        Files.writeString(child.resolve("cgroup.procs"), "13\n");
        containerIn(cgroup, Phase.CREATED);
        processes.add(10, 5010, FakeProcessTable.HOST_PID_NAMESPACE, 10, PROGRAM);
        processes.add(11, 1, FakeProcessTable.HOST_PID_NAMESPACE, 11, PROGRAM); // a bystander: in no cgroup of the container
        processes.add(12, 1, FakeProcessTable.HOST_PID_NAMESPACE, 12, PROGRAM);
        processes.add(13, 1, FakeProcessTable.HOST_PID_NAMESPACE, 13, PROGRAM);
        new Kill(store, processes).kill("c", Signals.SIGTERM, true);
        assertEquals(List.of(new Sent(10, Signals.SIGTERM), new Sent(12, Signals.SIGTERM), new Sent(13, Signals.SIGTERM)), processes.sent());
        assertEquals("THAWED", freezerState(cgroup), "frozen while signalled, thawed after");
    }

    @Test
    void aPausedContainerIsThawedBySigkillOnlyOtherSignalsWaitForResume() throws Exception {
        Path cgroup = freezerCgroup(10);
        containerIn(cgroup, Phase.CREATED);
        processes.add(10, 5010, CONTAINER_NS, 1, PROGRAM);
        new Pause(store, processes).pause("c");
        new Kill(store, processes).kill("c", Signals.SIGTERM, false);
        new Kill(store, processes).kill("c", Signals.SIGTERM, true);
        assertEquals("FROZEN", freezerState(cgroup), "a TERM stays pending in the paused container");
        assertEquals(Status.PAUSED, new StatusProbe(processes).statusOf(store.read("c")));
        new Kill(store, processes).kill("c", Signals.SIGKILL, false);
        assertEquals("THAWED", freezerState(cgroup), "thawed so that the KILL takes effect");
        assertEquals(List.of(new Sent(10, Signals.SIGTERM), new Sent(10, Signals.SIGTERM), new Sent(10, Signals.SIGKILL)), processes.sent());
    }

    @Test
    void idsThatLeaveTheRootAreRefusedEverywhere() {
        for (String id : List.of("../trav", "..", ".", "a/b", "")) {
            assertThrows(JrunException.InvalidInput.class, () -> store.read(id), id);
            assertThrows(JrunException.InvalidInput.class, () -> new Delete(store, processes).delete(id, true), id);
            assertThrows(JrunException.InvalidInput.class, () -> new Kill(store, processes).kill(id, 9, true), id);
        }
    }

    @Test
    void aReservedIdAlwaysHasItsStateAndCannotBeReservedTwice() throws Exception {
        container("c", 0, Phase.CREATING);
        assertTrue(Files.exists(root.resolve("c/state.json")));
        assertThrows(JrunException.AlreadyExists.class, () -> container("c", 0, Phase.CREATING));
        try (var entries = Files.list(root)) {
            assertEquals(List.of("c"), entries.map(p -> p.getFileName().toString()).toList(), "no staging directory left");
        }
    }
}
