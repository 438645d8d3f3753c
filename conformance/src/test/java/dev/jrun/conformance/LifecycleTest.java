package dev.jrun.conformance;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * runtime.md: the lifecycle (create, start, the process exits, delete), the state, and every
 * operation refused in a state that does not allow it. Each display name quotes the rule.
 */
@DisplayName("Lifecycle (runtime.md)")
class LifecycleTest extends ContainerTestSupport {
    private static final String SLEEPER = "1000";

    @Test
    @DisplayName("create: \"Upon successful completion of this operation the status property of this container MUST be created\"; "
            + "\"the user-specified program (from process) MUST NOT be run at this time\"")
    void createLeavesTheContainerCreatedWithAPid() throws Exception {
        Container container = container(bundle(config().sh("echo the program ran")));
        State state = container.created();
        assertEquals("created", state.status());
        assertTrue(state.pid() > 0, "pid of a created container: " + state.json());
        assertTrue(Host.isAlive(state.pid()), "the container's process " + state.pid() + " lives while created");
        assertEquals("", container.stdout(), "the program ran before start");
    }

    @Test
    @DisplayName("start: \"Upon successful completion of this operation the status property of this container MUST be running\"")
    void startMakesItRunning() throws Exception {
        Container container = container(bundle(config().args("sleep", SLEEPER)));
        long pid = container.created().pid();
        assertSucceeded(container.start());
        State state = container.state().orElseThrow();
        assertEquals("running", state.status(), "right after start returned");
        assertEquals(pid, state.pid(), "the container process is the one create made");
    }

    @Test
    @DisplayName("state: \"stopped: the container process has exited\"")
    void processExitMakesItStopped() throws Exception {
        Container container = container(bundle(config().sh("echo the program ran")));
        long pid = container.created().pid();
        assertSucceeded(container.start());
        container.awaitStatus("stopped");
        assertFalse(Host.isAlive(pid), "stopped, yet the container process " + pid + " is alive");
        assertEquals("the program ran\n", container.stdout());
    }

    @Test
    @DisplayName("state: \"ociVersion (string, REQUIRED)\", \"id (string, REQUIRED)\", \"status (string, REQUIRED)\", "
            + "\"pid (int, REQUIRED when status is created or running on Linux)\", "
            + "\"bundle (string, REQUIRED) is the absolute path to the container's bundle directory\", \"annotations (map, OPTIONAL)\"")
    void stateHasTheRequiredFieldsWithTheirTypes() throws Exception {
        Container container = container(bundle(config().args("sleep", SLEEPER)));
        State created = container.created();
        assertStateFields(container, created, "created");
        assertSucceeded(container.start());
        assertStateFields(container, container.state().orElseThrow(), "running");
    }

    private static void assertStateFields(Container container, State state, String status) throws Exception {
        JsonNode json = state.json();
        assertTrue(json.path("ociVersion").isTextual() && Features.isSemVer(json.get("ociVersion").asText()), "ociVersion: " + json);
        assertTrue(json.path("id").isTextual(), "id is a string: " + json);
        assertEquals(container.id(), json.get("id").asText());
        assertTrue(json.path("status").isTextual(), "status is a string: " + json);
        assertEquals(status, json.get("status").asText());
        assertTrue(json.path("pid").isIntegralNumber() && json.get("pid").asLong() > 0, "pid is a positive int: " + json);
        assertTrue(json.path("bundle").isTextual() && Path.of(json.get("bundle").asText()).isAbsolute(), "bundle is an absolute path: " + json);
        assertEquals(container.bundle().dir().toRealPath(), Path.of(json.get("bundle").asText()).toRealPath());
        if (json.has("annotations") && !json.get("annotations").isNull()) {
            assertTrue(json.get("annotations").isObject(), "annotations is a map: " + json);
            json.get("annotations").properties().forEach(e -> assertTrue(e.getValue().isTextual(), "annotation " + e.getKey() + " is a string"));
        }
    }

    @Test
    @DisplayName("state: \"annotations (map, OPTIONAL) contains the list of annotations associated with the container\" (from config.json)")
    void stateCarriesTheAnnotationsOfTheConfig() throws Exception {
        Map<String, String> annotations = Map.of("org.example.conformance.key", "value-1", "org.example.conformance.other", "value 2");
        Container container = container(bundle(config().args("sleep", SLEEPER).annotations(annotations)));
        JsonNode state = container.created().json();
        annotations.forEach((key, value) -> assertEquals(value, state.path("annotations").path(key).asText(null), key + " in " + state));
    }

    @Test
    @DisplayName("create: \"If the ID provided is not unique across all containers within the scope of the runtime [...] "
            + "the implementation MUST generate an error and a new container MUST NOT be created\"")
    void createWithADuplicateIdFailsAndChangesNothing() throws Exception {
        Container first = container(bundle(config().args("sleep", SLEEPER)));
        State before = first.created();
        Set<String> namespaces = Host.pidNamespacesOfDescendants();
        Container second = container(bundle(config().sh("echo the second container ran")), first.id());
        assertFailed(second.create());
        State after = first.state().orElseThrow(() -> new AssertionError("the first container is gone"));
        assertEquals("created", after.status());
        assertEquals(before.pid(), after.pid(), "the first container's process changed");
        assertEquals(before.bundle(), after.bundle(), "the first container's bundle changed");
        assertTrue(Host.isAlive(before.pid()), "the first container's process died");
        assertEquals(Set.of(), Host.newPidNamespacesSince(namespaces), "the failed create left processes");
        assertEquals(List.of(first.id()), Container.Footprint.entries(cli.root()));
    }

    static Stream<Named<String>> invalidIds() {
        return Stream.of(Named.of("empty", ""), Named.of("..", ".."), Named.of("containing /", "a/b"),
                Named.of("300 characters", "x".repeat(300)));
    }

    @ParameterizedTest(name = " — {0}")
    @MethodSource("invalidIds")
    @DisplayName("create: \"If the ID provided is [...] not valid in any other way, the implementation MUST generate an error "
            + "and a new container MUST NOT be created\"")
    void createWithAnInvalidIdFailsAndCreatesNothing(String id) throws Exception {
        Set<String> namespaces = Host.pidNamespacesOfDescendants();
        Container container = container(bundle(config().args("sleep", SLEEPER)), id);
        assertFailed(container.create());
        assertEquals(List.of(), Container.Footprint.entries(cli.root()), "the runtime's --root has an entry");
        assertEquals(Set.of(), Host.newPidNamespacesSince(namespaces), "the failed create left processes");
        assertEquals(List.of(), Host.mountPointsUnder(Rootfs.path()));
    }

    @Test
    @DisplayName("start: \"Attempting to start a container that is not created MUST have no effect on the container "
            + "and MUST generate an error\" (started twice)")
    void startTwiceFails() throws Exception {
        Container container = container(bundle(config().args("sleep", SLEEPER)));
        container.started();
        long pid = container.state().orElseThrow().pid();
        assertFailed(container.start());
        State after = container.state().orElseThrow();
        assertEquals("running", after.status());
        assertEquals(pid, after.pid());
        assertTrue(Host.isAlive(pid));
    }

    @Test
    @DisplayName("start: \"Attempting to start a container that is not created MUST have no effect on the container "
            + "and MUST generate an error\" (stopped)")
    void startOnAStoppedContainerFails() throws Exception {
        Container container = container(bundle(config().sh("echo the program ran")));
        container.started();
        container.awaitStatus("stopped");
        assertFailed(container.start());
        assertEquals("stopped", container.status());
        assertEquals("the program ran\n", container.stdout(), "the program ran again");
    }

    @Test
    @DisplayName("kill: \"Attempting to send a signal to a container that is neither created nor running MUST have no effect "
            + "on the container and MUST generate an error\"")
    void killOnAStoppedContainerFails() throws Exception {
        Container container = container(bundle(config().sh("echo the program ran")));
        container.started();
        container.awaitStatus("stopped");
        assertFailed(container.kill("KILL"));
        assertEquals("stopped", container.status());
    }

    @Test
    @DisplayName("kill: \"This operation MUST send the specified signal to the container process\" (a created container)")
    void killOnACreatedContainerWorks() throws Exception {
        Container container = container(bundle(config().sh("echo the program ran")));
        long pid = container.created().pid();
        assertSucceeded(container.kill("KILL"));
        container.awaitStatus("stopped");
        assertFalse(Host.isAlive(pid));
        assertEquals("", container.stdout(), "the program ran although the container was never started");
        assertSucceeded(container.delete());
    }

    @Test
    @DisplayName("delete: \"Attempting to delete a container that is not stopped MUST have no effect on the container "
            + "and MUST generate an error\" (running)")
    void deleteOfARunningContainerFailsAndLeavesItRunning() throws Exception {
        Container container = container(bundle(config().args("sleep", SLEEPER)));
        container.started();
        long pid = container.state().orElseThrow().pid();
        assertFailed(container.delete());
        State after = container.state().orElseThrow(() -> new AssertionError("the container is gone"));
        assertEquals("running", after.status());
        assertEquals(pid, after.pid());
        assertTrue(Host.isAlive(pid));
    }

    @Test
    @DisplayName("delete: \"Attempting to delete a container that is not stopped MUST have no effect on the container "
            + "and MUST generate an error\" (created)")
    void deleteOfACreatedContainerFailsAndLeavesItCreated() throws Exception {
        Container container = container(bundle(config().args("sleep", SLEEPER)));
        long pid = container.created().pid();
        assertFailed(container.delete());
        State after = container.state().orElseThrow(() -> new AssertionError("the container is gone"));
        assertEquals("created", after.status());
        assertEquals(pid, after.pid());
        assertTrue(Host.isAlive(pid));
    }

    @Test
    @DisplayName("delete --force (runc's command line): kills a running container, then \"Deleting a container MUST delete "
            + "the resources that were created during the create step\"")
    void forceDeleteRemovesARunningContainer() throws Exception {
        Container container = container(bundle(config().sh("sleep " + SLEEPER + " & sleep " + SLEEPER + " & wait")));
        container.started();
        Container.Footprint footprint = container.footprint();
        assertSucceeded(container.forceDelete());
        footprint.assertGone();
    }

    @Test
    @DisplayName("delete: \"Deleting a container MUST delete the resources that were created during the create step. "
            + "Note that resources associated with the container, but not created by this container, MUST NOT be deleted\"")
    void deleteRemovesExactlyWhatCreateMade() throws Exception {
        Path volume = Files.createDirectories(work.resolve("volume"));
        Files.writeString(volume.resolve("kept"), "the host's file\n");
        Container container = container(bundle(config().sh("echo the program ran")
                .namespaces("uts", "ipc", "network")
                .mount("/mnt", "bind", volume.toString(), "rbind")
                .mount("/tmp", "tmpfs", "tmpfs", "size=1m")));
        container.created();
        Container.Footprint footprint = container.footprint();
        assertSucceeded(container.start());
        container.awaitStatus("stopped");
        assertSucceeded(container.delete());
        footprint.assertGone();
        assertEquals("the host's file\n", Files.readString(volume.resolve("kept")), "a bind-mounted host file was changed");
        assertTrue(Files.isRegularFile(container.bundle().config()), "the bundle's config.json was deleted");
        assertTrue(Files.isExecutable(Rootfs.path().resolve("bin/sh")), "the rootfs was changed");
    }

    @Test
    @DisplayName("state: \"Attempting to query a container that does not exist MUST generate an error\"")
    void stateOfAnUnknownIdFails() throws Exception {
        RuntimeUnderTest.Result state = cli.run("state", "conformance-no-such-container");
        assertFailed(state);
    }

    @Test
    @DisplayName("delete --force (runc's command line) of an id that no container has succeeds, as runc's does (podman calls it "
            + "after every failed create); plain delete of it generates an error")
    void forceDeleteOfAMissingIdSucceeds() throws Exception {
        String id = freshId();
        assertFailed(cli.run("delete", id));
        assertSucceeded(cli.run("delete", "--force", id));
        assertFailed(cli.run("state", id));
        assertEquals(List.of(), Container.Footprint.entries(cli.root()), "the runtime's --root has an entry");
    }

    static Stream<Named<List<String>>> operationsOnAnId() {
        return Stream.of(Named.of("state", List.of("state", "ID")), Named.of("kill", List.of("kill", "ID", "KILL")),
                Named.of("delete --force", List.of("delete", "--force", "ID")));
    }

    /**
     * The id "../ID" names, in a runtime that joins it to its --root unchecked, a directory beside the
     * root. The test puts a running container there (ID, with the root's parent as a --root of its own),
     * so such a runtime would read its state, signal it or delete it. Its process is a sleep, seen asleep
     * before the command and after it: a process sent SIGKILL never sleeps again (see {@link Host#sleeps}).
     */
    @ParameterizedTest(name = " — {0}")
    @MethodSource("operationsOnAnId")
    @DisplayName("an id that is not valid (\"../ID\", as create's \"not valid in any other way\") is refused with an error by "
            + "state, kill and delete, and reaches nothing outside --root (a container at --root/../ID is left as it was)")
    void anInvalidIdReachesNothingOutsideTheRoot(List<String> operation) throws Exception {
        Path outer = Files.createDirectories(work.resolve("outer"));
        RuntimeUnderTest inner = cli.withRoot(Files.createDirectories(outer.resolve("root")));
        Container beside = container(cli.withRoot(outer), bundle(config().args("sleep", SLEEPER)), freshId());
        beside.started();
        long pid = beside.state().orElseThrow().pid();
        await("the process " + pid + " of the container beside --root to be asleep").atMost(Container.TIMEOUT)
                .pollInterval(Duration.ofMillis(50)).until(() -> Host.sleeps(pid));
        String id = "../" + beside.id();
        RuntimeUnderTest.Result result = inner.run(operation.stream().map(arg -> arg.equals("ID") ? id : arg).toArray(String[]::new));
        assertFailed(result);
        assertFalse(result.out().contains(beside.id()), "it printed the state of the container beside --root: " + result.out());
        assertTrue(Host.sleeps(pid), "the process " + pid + " of the container beside --root was signalled by " + result);
        State after = beside.state().orElseThrow(() -> new AssertionError("the container beside --root is gone after " + result));
        assertEquals("running", after.status(), "the container beside --root after " + result);
        assertEquals(pid, after.pid(), "the container beside --root has another process after " + result);
        assertEquals(List.of(), Container.Footprint.entries(inner.root()), "the runtime's --root has an entry");
    }

    /** A config the runtime cannot apply, and whether a runtime may accept it at create and fail at start instead. */
    record Unworkable(Bundle.Builder config, boolean mayFailAtStartInstead) {}

    static Stream<Named<Unworkable>> unworkableConfigs() {
        return Stream.of(
                Named.of("a root filesystem path that does not exist",
                        new Unworkable(config().edit(c -> c.withObjectProperty("root").put("path", "/nonexistent/conformance-rootfs")), false)),
                // process.args "MUST NOT be applied until triggered by the start operation", so a runtime may find
                // out only at start that the program is missing; it must fail there then.
                Named.of("a program in process.args that does not exist",
                        new Unworkable(config().args("no-such-program-conformance"), true)),
                Named.of("a mount of a filesystem type that does not exist",
                        new Unworkable(config().mount("/mnt", "no-such-filesystem-type", "none"), false)));
    }

    @ParameterizedTest(name = " — {0}")
    @MethodSource("unworkableConfigs")
    @DisplayName("create: \"If the runtime cannot apply a property as specified in the configuration, it MUST generate an error "
            + "and a new container MUST NOT be created\"; \"generating an error MUST leave the state of the environment as if "
            + "the operation were never attempted\" (no state, no process, no mount)")
    void aFailedCreateLeavesNothing(Unworkable unworkable) throws Exception {
        Set<String> namespaces = Host.pidNamespacesOfDescendants();
        Container container = container(bundle(unworkable.config()));
        failToCreate(container, unworkable);
        assertFailed(container.stateResult());
        assertEquals(List.of(), Container.Footprint.entries(cli.root()), "the runtime's --root has an entry");
        assertEquals(Set.of(), Host.newPidNamespacesSince(namespaces), "the failed create left processes");
        assertEquals(List.of(), Host.mountPointsUnder(Rootfs.path()), "the failed create left mounts");
        assertEquals(List.of(), Host.mountPointsUnder(container.bundle().dir()), "the failed create left mounts");
    }

    /** create fails (or, where the spec allows it, start fails and the container is deleted). */
    private static void failToCreate(Container container, Unworkable unworkable) throws Exception {
        RuntimeUnderTest.Result create = container.create();
        if (create.succeeded()) {
            assertTrue(unworkable.mayFailAtStartInstead(), "create must fail: " + create);
            assertFailed(container.start());
            assertSucceeded(container.forceDelete());
        }
    }

    @Test
    @DisplayName("lifecycle: \"Any updates to config.json after this step MUST NOT affect the container\"")
    void configChangesAfterCreateDoNotAffectTheContainer() throws Exception {
        Container container = container(bundle(config().sh("echo from the config at create")));
        container.created();
        config().sh("echo from the config changed after create").writeTo(container.bundle().dir());
        assertSucceeded(container.start());
        container.awaitStatus("stopped");
        assertEquals("from the config at create\n", container.stdout());
    }
}
