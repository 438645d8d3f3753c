package dev.jrun.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.spec.model.Spec;
import dev.jrun.spec.validation.SpecValidator;
import dev.jrun.spec.validation.ValidationReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where create's plan puts the hooks (docs/hooks.md): a sync for Java's, RUN_HOOK steps for the helper's. */
class HookPlanningTest {
    private static final HookStates STATES = new HookStates(new HookStates.Split("{\"status\":\"creating\",\"pid\":", "}"),
            new HookStates.Split("{\"status\":\"created\",\"pid\":", "}"));

    @TempDir
    Path bundle;

    @Test
    void withoutHooksThePlanHasNoHookStep() throws Exception {
        List<Op> ops = ops(plan(""));
        assertTrue(ops.stream().noneMatch(op -> op == Op.NOTE_PID || op == Op.RUN_HOOK), ops.toString());
        assertTrue(plan("").steps().stream().noneMatch(s -> s.step() instanceof Step.Sync sync && sync.point() == SyncPoint.HOOKS));
    }

    @Test
    void prestartAndCreateRuntimeAreOneSyncAfterTheNetworkOne() throws Exception {
        for (String kind : List.of("prestart", "createRuntime")) {
            Plan plan = plan("hooks: {" + kind + ": [{path: /bin/true}]}\n");
            List<SyncPoint> syncs = plan.steps().stream().map(PlannedStep::step).filter(s -> s instanceof Step.Sync)
                    .map(s -> ((Step.Sync) s).point()).toList();
            assertEquals(List.of(SyncPoint.CGROUP, SyncPoint.NETWORK, SyncPoint.HOOKS), syncs, kind);
            assertTrue(ops(plan).indexOf(Op.SYNC) < ops(plan).indexOf(Op.PIVOT_ROOT));
            assertTrue(ops(plan).stream().noneMatch(op -> op == Op.RUN_HOOK || op == Op.NOTE_PID), kind + ": Java runs it, not the helper");
        }
    }

    @Test
    void createContainerRunsRightBeforePivotRootWithTheCreatingState() throws Exception {
        Plan plan = plan("hooks: {createContainer: [{path: /opt/a, args: [a, x], env: [K=v], timeout: 3}, {path: /opt/b}]}\n");
        List<Op> ops = ops(plan);
        int pivot = ops.indexOf(Op.PIVOT_ROOT);
        assertEquals(List.of(Op.RUN_HOOK, Op.RUN_HOOK), ops.subList(pivot - 2, pivot));
        var first = (Step.RunHook) plan.steps().get(pivot - 2).step();
        assertEquals(new Step.RunHook("createContainer hook 0 (/hooks/createContainer/0: /opt/a)", "/opt/a", 3,
                "{\"status\":\"creating\",\"pid\":", "}", List.of("a", "x"), List.of("K=v")), first);
        var second = (Step.RunHook) plan.steps().get(pivot - 1).step();
        assertEquals(List.of("/opt/b"), second.args(), "no args: argv[0] is the path");
        assertEquals(0, second.timeoutSeconds(), "no timeout");
        assertEquals("/hooks/createContainer/1", plan.steps().get(pivot - 1).origin());
        assertEquals(Op.SETSID, ops.get(ops.indexOf(Op.NOTE_PID) - 1), "the pid is noted right after the init starts");
    }

    @Test
    void startContainerRunsAfterAwaitStartRightBeforeTheExecWithTheCreatedState() throws Exception {
        Plan plan = plan("hooks: {startContainer: [{path: /hook}]}\n");
        List<Op> ops = ops(plan);
        assertEquals(List.of(Op.AWAIT_START, Op.RUN_HOOK, Op.EXEC), ops.subList(ops.size() - 3, ops.size()));
        var hook = (Step.RunHook) plan.steps().get(ops.size() - 2).step();
        assertEquals("{\"status\":\"created\",\"pid\":", hook.stateBeforePid());
        assertTrue(ops.indexOf(Op.NOTE_PID) < ops.indexOf(Op.PIVOT_ROOT), "the pid is noted while the runtime's /proc is there");
    }

    @Test
    void aRunHookStepEncodesArgcBeforeArgsAndEnv() {
        var step = new Step.RunHook("l", "/p", 5, "{", "}", List.of("p", "1"), List.of("E=1"));
        assertTrue(Op.RUN_HOOK.accepts(PlanEncoder.arguments(step)));
        assertEquals(List.of("l", "/p", 5L, "{", "}", 2L, "p", "1", "E=1"), PlanEncoder.arguments(step));
    }

    private static List<Op> ops(Plan plan) {
        return plan.steps().stream().map(s -> s.step().op()).toList();
    }

    private Plan plan(String hooks) throws IOException, PlanException {
        Files.createDirectories(bundle.resolve("rootfs"));
        Path file = Files.writeString(bundle.resolve("config.yaml"), "ociVersion: 1.2.0\nroot: {path: rootfs}\n"
                + "process: {cwd: /, user: {uid: 0, gid: 0}, args: [sh]}\nlinux: {namespaces: [{type: pid}, {type: mount}]}\n" + hooks);
        ValidationReport report = new SpecValidator().validate(file);
        Spec spec = report.spec();
        if (spec == null) {
            throw new IOException("does not validate: " + report.problems());
        }
        return CreatePlanner.plan(new PlanRequest(spec, bundle, Path.of("/run/jrun/x/start.sock"), false, Step.Clone.Mode.DETACH, 0,
                List.of(), false), STATES);
    }
}
