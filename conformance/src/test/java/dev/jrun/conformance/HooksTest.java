package dev.jrun.conformance;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jrun.conformance.HookRecorder.Hook;
import dev.jrun.conformance.HookRecorder.Run;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * config.md "POSIX-platform Hooks" and runtime.md "Lifecycle": when each hook runs, in which namespaces, with which
 * state on its stdin, and what a failing or hanging hook does. Every hook is {@link HookRecorder}'s script, which
 * logs each run; the tests read the log.
 */
@DisplayName("Hooks (config.md, runtime.md)")
class HooksTest extends ContainerTestSupport {
    private static final List<String> ALL = List.of("prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop");
    private static final String SLEEPER = "1000";

    private HookRecorder recorder;

    @BeforeEach
    void recorder() throws Exception {
        for (String kind : ALL) {
            assumeTrue(features.hook(kind), "the runtime's features do not list the " + kind + " hook");
        }
        recorder = HookRecorder.in(work.resolve("hooks"));
    }

    private Container withAllHooks(String... args) throws Exception {
        return container(bundle(recorder.config(config().args(args), ALL.stream().map(Hook::of).toArray(Hook[]::new))));
    }

    @Test
    @DisplayName("create runs \"prestart\", then \"createRuntime\", then \"createContainer\" (runtime.md lifecycle steps 3-5), and no other hook")
    @KnownBug(runtime = "runc", value = "runc 1.1 runs the poststart hooks at create, before start (and before startContainer)")
    void createRunsTheCreateHooksInOrder() throws Exception {
        Container container = withAllHooks("sleep", SLEEPER);
        container.created();
        assertEquals(List.of("prestart", "createRuntime", "createContainer"), recorder.kinds());
    }

    @Test
    @DisplayName("start runs \"startContainer\" before the program (step 7) and \"poststart\" after it was executed, \"before the start "
            + "operation returns\" (step 9)")
    @KnownBug(runtime = "runc", value = "runc 1.1 runs the poststart hooks at create, before start (and before startContainer)")
    void startRunsStartContainerThenPoststartBeforeReturning() throws Exception {
        Container container = container(bundle(recorder.config(
                config().sh("echo \"program|0|0|-|-|-|{}\" >> " + HookRecorder.INSIDE + "/log; exec sleep " + SLEEPER),
                Hook.of("startContainer"), Hook.of("poststart"))));
        container.created();
        assertEquals(List.of(), recorder.kinds(), "no hook of start ran at create");
        assertSucceeded(container.start());
        List<String> kinds = recorder.kinds();
        assertTrue(kinds.contains("poststart"), "poststart ran before start returned: " + kinds);
        assertEquals("startContainer", kinds.getFirst(), "startContainer runs first: " + kinds);
        await().atMost(Container.TIMEOUT).until(() -> recorder.kinds().contains("program"));
        assertTrue(recorder.kinds().indexOf("startContainer") < recorder.kinds().indexOf("program"), "startContainer before the program: "
                + recorder.kinds());
        assertEquals("running", container.status());
    }

    @Test
    @DisplayName("delete runs \"poststop\" \"after the container is deleted but before the delete operation returns\" (step 13)")
    void deleteRunsPoststop() throws Exception {
        Container container = container(bundle(recorder.config(config().sh("true"), Hook.of("poststop"))));
        container.started();
        container.awaitStatus("stopped");
        assertEquals(List.of(), recorder.kinds(), "poststop before delete");
        assertSucceeded(container.delete());
        assertEquals(List.of("poststop"), recorder.kinds());
        assertFailed(container.stateResult());
    }

    @Test
    @DisplayName("prestart, createRuntime, poststart, poststop run \"in the runtime namespace\"; createContainer and startContainer "
            + "\"in the container namespace\" (mount and pid namespaces)")
    void eachHookRunsInItsNamespaces() throws Exception {
        Container container = withAllHooks("sleep", SLEEPER);
        long pid = container.created().pid();
        String containerMounts = Host.namespace(pid, "mnt");
        String containerPids = Host.namespace(pid, "pid");
        assertSucceeded(container.start());
        assertSucceeded(container.kill("KILL"));
        container.awaitStatus("stopped");
        assertSucceeded(container.delete());
        Map<String, Run> runs = byKind();
        assertEquals(Set.copyOf(ALL), runs.keySet(), "every hook ran once");
        for (String kind : List.of("prestart", "createRuntime", "poststart", "poststop")) {
            assertEquals(Host.ownNamespace("mnt"), runs.get(kind).mountNamespace(), kind + ": the runtime's mount namespace");
            assertEquals(Host.ownNamespace("pid"), runs.get(kind).pidNamespace(), kind + ": the runtime's pid namespace");
        }
        for (String kind : List.of("createContainer", "startContainer")) {
            assertEquals(containerMounts, runs.get(kind).mountNamespace(), kind + ": the container's mount namespace");
            assertEquals(containerPids, runs.get(kind).pidNamespace(), kind + ": the container's pid namespace");
        }
    }

    @Test
    @DisplayName("\"The state of the container MUST be passed to hooks over stdin\": its id, bundle, the status of each point "
            + "(creating, creating, creating, created, running, stopped) and the container's pid as the host sees it")
    @KnownBug(runtime = "runc", value = "runc 1.1 gives createContainer and startContainer the pid inside the container (1), not the "
            + "host's")
    void eachHookReadsTheStateOfItsPoint() throws Exception {
        Container container = withAllHooks("sleep", SLEEPER);
        long pid = container.created().pid();
        assertSucceeded(container.start());
        assertSucceeded(container.kill("KILL"));
        container.awaitStatus("stopped");
        assertSucceeded(container.delete());
        Map<String, Run> runs = byKind();
        Map<String, String> statuses = Map.of("prestart", "creating", "createRuntime", "creating", "createContainer", "creating",
                "startContainer", "created", "poststart", "running", "poststop", "stopped");
        for (String kind : ALL) {
            var state = runs.get(kind).state();
            assertEquals(container.id(), state.path("id").asText(), kind + ": " + state);
            assertEquals(container.bundle().dir().toRealPath().toString(), java.nio.file.Path.of(state.path("bundle").asText()).toRealPath().toString(),
                    kind + ": " + state);
            assertTrue(state.path("ociVersion").isTextual(), kind + ": " + state);
            assertEquals(statuses.get(kind), state.path("status").asText(), kind + ": " + state);
            if (!kind.equals("poststop")) {
                assertEquals(pid, state.path("pid").asLong(), kind + ": the container's pid: " + state);
            }
        }
    }

    @Test
    @DisplayName("each hook runs with its \"args\" and exactly its \"env\", in the spec's order within a kind")
    void hooksGetTheirArgsAndEnvInOrder() throws Exception {
        Container container = container(bundle(recorder.config(config().args("sleep", SLEEPER),
                Hook.of("createRuntime").named("first"), Hook.of("createRuntime").named("second"), Hook.of("createRuntime").named("third"))));
        container.created();
        List<Run> runs = recorder.runs();
        assertEquals(List.of("first", "second", "third"), runs.stream().map(Run::kind).toList());
        runs.forEach(run -> assertEquals("mark-" + run.kind(), run.mark()));
    }

    @ParameterizedTest(name = " — {0}")
    @ValueSource(strings = {"prestart", "createRuntime", "createContainer"})
    @DisplayName("a failing create hook: \"the runtime MUST generate an error, stop the container\"; no later hook of create runs, "
            + "the error carries the hook's stderr, and nothing of the container is left")
    void aFailingCreateHookFailsCreate(String kind) throws Exception {
        Set<String> namespaces = Host.pidNamespacesOfDescendants();
        List<String> creates = List.of("prestart", "createRuntime", "createContainer");
        Hook[] hooks = creates.stream().map(k -> k.equals(kind) ? Hook.of(k).doing("fail:3") : Hook.of(k)).toArray(Hook[]::new);
        Container container = container(bundle(recorder.config(config().sh("echo the program ran"), hooks)));
        RuntimeUnderTest.Result create = container.create();
        assertFailed(create);
        assertTrue((create.err() + container.stderr()).contains("hook " + kind + " says boom"), "the hook's stderr in the error: " + create
                + " / " + container.stderr());
        assertEquals(creates.subList(0, creates.indexOf(kind) + 1), recorder.kinds(), "the hooks that ran");
        assertFailed(container.stateResult());
        assertEquals(List.of(), Container.Footprint.entries(cli.root()), "the runtime's --root has an entry");
        assertEquals(Set.of(), Host.newPidNamespacesSince(namespaces), "the failed create left processes");
        assertEquals(List.of(), Host.mountPointsUnder(Rootfs.path()));
        assertEquals("", container.stdout(), "the program ran");
    }

    @Test
    @DisplayName("a failing createRuntime hook: the runtime \"MUST generate an error, stop the container, and continue the lifecycle "
            + "at step 12\" (delete), whose poststop hooks run before create returns")
    void aFailingCreateHookLeadsToThePoststopHooks() throws Exception {
        Container container = container(bundle(recorder.config(config().sh("echo the program ran"),
                Hook.of("createRuntime").doing("fail:3"), Hook.of("poststop"))));
        assertFailed(container.create());
        assertEquals(List.of("createRuntime", "poststop"), recorder.kinds());
        assertFailed(container.stateResult());
    }

    @Test
    @DisplayName("a failing startContainer hook: start generates an error and the program never runs")
    @KnownBug(runtime = "runc", value = "runc 1.1's start exits 0 although the startContainer hook failed (the init reports it to no one)")
    void aFailingStartContainerHookFailsStart() throws Exception {
        Container container = container(bundle(recorder.config(config().sh("echo the program ran"),
                Hook.of("startContainer").doing("fail:4"), Hook.of("poststart"))));
        container.created();
        RuntimeUnderTest.Result start = container.start();
        assertFailed(start);
        container.awaitStatus("stopped");
        assertEquals(List.of("startContainer"), recorder.kinds(), "no poststart after a failed start");
        assertEquals("", container.stdout(), "the program ran");
        assertSucceeded(container.delete());
    }

    @Test
    @DisplayName("a failing poststart hook: \"the runtime MUST log a warning, but the remaining hooks and lifecycle continue\"")
    @KnownBug(runtime = "runc", value = "runc 1.1 runs poststart at create and fails create when a poststart hook fails")
    void aFailingPoststartHookIsAWarning() throws Exception {
        Container container = container(bundle(recorder.config(config().args("sleep", SLEEPER),
                Hook.of("poststart").named("failing").doing("fail:5"), Hook.of("poststart").named("next"))));
        container.created();
        assertSucceeded(container.start());
        await().atMost(Container.TIMEOUT).until(() -> recorder.kinds().equals(List.of("failing", "next")));
        assertEquals("running", container.status());
    }

    @Test
    @DisplayName("a failing poststop hook: \"the runtime MUST log a warning, but the remaining hooks and lifecycle continue\"")
    @KnownBug(runtime = "runc", value = "runc 1.1 stops at the first failing poststop hook: the remaining ones do not run")
    void aFailingPoststopHookIsAWarning() throws Exception {
        Container container = container(bundle(recorder.config(config().sh("true"),
                Hook.of("poststop").named("failing").doing("fail:6"), Hook.of("poststop").named("next"))));
        container.started();
        container.awaitStatus("stopped");
        assertSucceeded(container.delete());
        assertEquals(List.of("failing", "next"), recorder.kinds());
        assertFailed(container.stateResult());
    }

    @ParameterizedTest(name = " — {0}")
    @ValueSource(strings = {"createRuntime", "createContainer"})
    @DisplayName("\"timeout is the number of seconds before aborting the hook\": a hook past it is killed and create fails, leaving nothing")
    void aHookPastItsTimeoutIsKilledAndFailsCreate(String kind) throws Exception {
        Set<String> namespaces = Host.pidNamespacesOfDescendants();
        Container container = container(bundle(recorder.config(config().sh("echo the program ran"),
                Hook.of(kind).doing("sleep:" + SLEEPER).timeout(1))));
        long before = System.nanoTime();
        assertFailed(container.create());
        Duration took = Duration.ofNanos(System.nanoTime() - before);
        assertTrue(took.compareTo(Duration.ofSeconds(30)) < 0, "create took " + took + " with a hook timeout of 1 s");
        Run run = recorder.runs().getFirst();
        if (kind.equals("createRuntime")) {
            assertFalse(Host.isAlive(run.pid()), "the hook (pid " + run.pid() + ") was not killed");
        }
        assertEquals(List.of(), Container.Footprint.entries(cli.root()), "the runtime's --root has an entry");
        assertEquals(Set.of(), Host.newPidNamespacesSince(namespaces), "the failed create left processes");
    }

    @Test
    @DisplayName("a hook that never reads its stdin (a state larger than a pipe holds) does not block the runtime")
    void aHookThatIgnoresItsStdinDoesNotBlock() throws Exception {
        Container container = container(bundle(recorder.config(
                config().args("sleep", SLEEPER).annotations(Map.of("org.example.conformance.large", "x".repeat(512 * 1024))),
                ALL.stream().map(kind -> Hook.of(kind).doing("deaf")).toArray(Hook[]::new))));
        container.created();
        assertSucceeded(container.start());
        assertSucceeded(container.kill("KILL"));
        container.awaitStatus("stopped");
        assertSucceeded(container.delete());
        assertEquals(ALL, recorder.kinds().stream().sorted(java.util.Comparator.comparingInt(ALL::indexOf)).toList());
        assertEquals(ALL.size(), recorder.kinds().size());
    }

    @Test
    @DisplayName("what createContainer and startContainer hooks print is not the container's output: never on its stdout, and "
            + "startContainer's not on its stderr (create's own stderr, the runtime's log without --log, is the container's here)")
    void hookOutputStaysOutOfTheContainersStdio() throws Exception {
        Container container = container(bundle(recorder.config(config().sh("echo the program ran"),
                Hook.of("createContainer").doing("noisy"), Hook.of("startContainer").doing("noisy"))));
        container.started();
        container.awaitStatus("stopped");
        assertEquals(List.of("createContainer", "startContainer"), recorder.kinds());
        assertEquals("the program ran\n", container.stdout());
        assertFalse(container.stderr().contains("hook-output-marker startContainer"), "the container's stderr: " + container.stderr());
    }

    private Map<String, Run> byKind() throws Exception {
        Map<String, Run> runs = new java.util.LinkedHashMap<>();
        for (Run run : recorder.runs()) {
            assertTrue(runs.putIfAbsent(run.kind(), run) == null, run.kind() + " ran twice: " + recorder.kinds());
        }
        return runs;
    }
}
