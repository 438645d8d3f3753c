package dev.jrun.hook;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.spec.model.Hooks;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java hook runner on real processes (shell scripts in a temporary directory; no root needed). */
class HookRunnerTest {
    @TempDir
    Path dir;

    private final StringWriter logged = new StringWriter();
    private final HookRunner runner = new HookRunner(new PrintWriter(logged, true), Path.of("/"));

    @Test
    void theHookReadsTheStateOnStdinAndHasExactlyItsEnvAndArgsAndStartsInTheCallersDirectory() throws Exception {
        Path out = dir.resolve("out");
        Path hook = script("cat > " + out + "; echo \"args: $*\" >> " + out + "; env | sort >> " + out + "; echo \"cwd: $(pwd)\" >> " + out);
        new HookRunner(new PrintWriter(logged, true), dir).runAll(HookKind.CREATE_RUNTIME, hooks(new Hooks.Hook(hook.toString(), List.of("name", "a", "b c"), List.of("K=v=w"), null)),
                "{\"status\":\"creating\"}");
        List<String> lines = Files.readAllLines(out);
        assertEquals("{\"status\":\"creating\"}args: a b c", lines.getFirst(), "the state, then the args after args[0]");
        assertTrue(lines.contains("K=v=w"), lines.toString());
        assertTrue(lines.contains("cwd: " + dir), lines.toString());
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("HOME=") || l.startsWith("JAVA_HOME=")), "nothing of jrun's env: " + lines);
    }

    @Test
    void aFailureNamesTheHookItsStatusAndItsFirstLines() throws Exception {
        Path hook = script("for i in 1 2 3 4 5 6 7; do echo line $i >&2; done; exit 3");
        HookFailure failure = assertThrows(HookFailure.class,
                () -> runner.runAll(HookKind.CREATE_RUNTIME, hooks(new Hooks.Hook(hook.toString(), List.of(), List.of(), null)), "{}"));
        assertEquals("createRuntime hook 0 (/hooks/createRuntime/0: " + hook + ") failed with exit status 3; its output began: "
                + "line 1 | line 2 | line 3 | line 4 | line 5", failure.getMessage());
        assertTrue(logged.toString().contains("jrun: createRuntime hook 0 (/hooks/createRuntime/0: " + hook + "): line 7"),
                "every line goes to the log: " + logged);
    }

    @Test
    void aHookPastItsTimeoutIsKilled() throws Exception {
        Path pidFile = dir.resolve("pid");
        Path hook = script("echo $$ > " + pidFile + "; exec sleep 1000");
        long start = System.nanoTime();
        HookFailure failure = assertThrows(HookFailure.class,
                () -> runner.runAll(HookKind.PRESTART, hooks(new Hooks.Hook(hook.toString(), List.of(), List.of(), 1)), "{}"));
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(20)) < 0);
        assertTrue(failure.getMessage().contains("did not finish within its timeout of 1 s and was killed"), failure.getMessage());
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
    }

    @Test
    void aHookThatNeverReadsItsStdinDoesNotBlock() throws Exception {
        Path hook = script("exit 0");
        runner.runAll(HookKind.POSTSTART, hooks(new Hooks.Hook(hook.toString(), List.of(), List.of(), 10)), "x".repeat(4 << 20));
    }

    @Test
    void aPathThatCannotRunIsAFailure() {
        HookFailure failure = assertThrows(HookFailure.class, () -> runner.runAll(HookKind.CREATE_RUNTIME,
                hooks(new Hooks.Hook(dir.resolve("missing").toString(), List.of(), List.of(), null)), "{}"));
        assertTrue(failure.getMessage().contains("could not be started"), failure.getMessage());
    }

    @Test
    void runAllStopsAtTheFirstFailureAndTheTolerantFormRunsEvery() throws Exception {
        Path count = dir.resolve("count");
        Path failing = script("echo x >> " + count + "; exit 1");
        Hooks twice = new Hooks(List.of(), List.of(new Hooks.Hook(failing.toString(), List.of(), List.of(), null),
                new Hooks.Hook(failing.toString(), List.of(), List.of(), null)), List.of(), List.of(),
                List.of(new Hooks.Hook(failing.toString(), List.of(), List.of(), null), new Hooks.Hook(failing.toString(), List.of(), List.of(), null)),
                List.of());
        assertThrows(HookFailure.class, () -> runner.runAll(HookKind.CREATE_RUNTIME, twice, "{}"));
        assertEquals(1, Files.readAllLines(count).size());
        List<HookFailure> failures = runner.runAllTolerating(HookKind.POSTSTART, twice, "{}");
        assertEquals(List.of(0, 1), failures.stream().map(HookFailure::index).toList());
        assertEquals(3, Files.readAllLines(count).size());
    }

    private Path script(String body) throws IOException {
        Path file = Files.createTempFile(dir, "hook", ".sh");
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    /** The hook at index 0 of createRuntime, prestart and poststart alike. */
    private static Hooks hooks(Hooks.Hook hook) {
        return new Hooks(List.of(hook), List.of(hook), List.of(), List.of(), List.of(hook), List.of());
    }
}
