package dev.jrun.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.plan.Plan;
import dev.jrun.plan.PlanEncoder;
import dev.jrun.plan.PlannedStep;
import dev.jrun.plan.Stage;
import dev.jrun.plan.Step;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jrun-init's NOTE_PID and RUN_HOOK (hooks.c) on small hand-made plans, without namespaces (so without root): the
 * state on stdin with the noted pid, argv and env exactly, the output as `log` lines and never on the helper's own
 * stdio, and a failing or hanging hook as the step's error.
 */
class HelperHooksTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final List<String> logged = new ArrayList<>();
    private HelperUnderTest helpers;
    private InitConnection connection;

    @AfterEach
    void stopHelpers() throws Exception {
        if (helpers != null) {
            helpers.stop();
        }
    }

    @Test
    void theHookReadsTheStateWithTheNotedPidAndHasExactlyItsArgsAndEnv() throws Exception {
        Path out = dir.resolve("out");
        Path hook = script("cat > " + out + "; echo >> " + out + "; echo \"argv0=$0 args=$*\" >> " + out + "; env >> " + out + "; echo printed");
        Process helper = run(new Step.NotePid(), hookStep("createContainer hook 0", hook, 0, List.of("ignored-name", "a", "b"), List.of("K=v")),
                new Step.Ready());
        assertInstanceOf(InitMessage.Ready.class, connection.next(PATIENCE));
        List<String> lines = Files.readAllLines(out);
        assertEquals("{\"pid\":" + helper.pid() + "}", lines.get(0), "the state, with the helper's pid as /proc/self names it");
        assertEquals("argv0=" + hook + " args=a b", lines.get(1), "args after args[0] (a script's $0 is its path whatever args[0] is)");
        assertTrue(lines.contains("K=v"), lines.toString());
        assertEquals(List.of("createContainer hook 0: printed"), logged);
        assertEquals("", Files.readString(dir.resolve("stdout")) + Files.readString(dir.resolve("stderr")), "nothing on the helper's stdio");
    }

    @Test
    void aFailingHookFailsTheStepWithItsStatusAndFirstLines() throws Exception {
        Path hook = script("echo one >&2; echo two; exit 7");
        run(hookStep("startContainer hook 1", hook, 0, List.of("h"), List.of()), new Step.Ready());
        var failure = assertInstanceOf(InitMessage.Failure.class, connection.next(PATIENCE));
        assertEquals(0, failure.step());
        assertEquals("RUN_HOOK", failure.operation());
        assertEquals("startContainer hook 1 failed with exit status 7; its output began: one | two", failure.detail());
        assertEquals(List.of("startContainer hook 1: one", "startContainer hook 1: two"), logged);
    }

    @Test
    void aHookPastItsTimeoutIsKilled() throws Exception {
        Path pidFile = dir.resolve("pid");
        Path hook = script("echo $$ > " + pidFile + "; exec sleep 1000");
        run(hookStep("createContainer hook 0", hook, 1, List.of("h"), List.of()), new Step.Ready());
        var failure = assertInstanceOf(InitMessage.Failure.class, connection.next(PATIENCE));
        assertEquals(110, failure.errno(), "ETIMEDOUT");
        assertTrue(failure.detail().startsWith("createContainer hook 0 did not finish within its timeout of 1 s and was killed"), failure.detail());
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        assertTrue(ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true), "the hook " + pid + " was killed and reaped");
    }

    @Test
    void aHookThatNeverReadsALargeStateDoesNotBlock() throws Exception {
        // Far more than a socket buffer holds, within the 1 MiB a plan string may carry.
        Path hook = script("exit 0");
        run(new Step.RunHook("createContainer hook 0", hook.toString(), 10, "{\"big\":\"" + "x".repeat(900_000), "\"}", List.of("h"), List.of()),
                new Step.Ready());
        assertInstanceOf(InitMessage.Ready.class, connection.next(PATIENCE));
    }

    private static Step hookStep(String label, Path hook, long timeout, List<String> args, List<String> env) {
        return new Step.RunHook(label, hook.toString(), timeout, "{\"pid\":", "}", args, env);
    }

    private Path script(String body) throws IOException {
        Path file = Files.createTempFile(dir, "hook", ".sh");
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    private Process run(Step... steps) throws IOException {
        Plan plan = new Plan(Arrays.stream(steps).map(s -> new PlannedStep(s, Stage.HOOKS, "test")).toList());
        helpers = helpers == null ? new HelperUnderTest(dir, PATIENCE) : helpers;
        Process helper = helpers.start(PlanEncoder.encode(plan), Path.of("/dev/null"), c -> c.onLog(logged::add));
        connection = helpers.connection();
        return helper;
    }
}
