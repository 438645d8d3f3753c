package dev.jrun.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test helper's own promises: the timeout fires, and a child holding the output open does not hold the test. */
class CommandTest {
    private static final Duration GENEROUS = Duration.ofSeconds(30);

    @Test
    void capturesExitCodeOutAndErrSeparately() throws Exception {
        Command.Result result = Command.of("sh", "-c", "echo out; echo err >&2; exit 3").run(GENEROUS);
        assertEquals(new Command.Result(3, "out\n", "err\n"), result);
    }

    @Test
    void runsInTheDirectoryWithTheExtraVariables(@TempDir Path dir) throws Exception {
        String out = Command.of("sh", "-c", "pwd; echo \"$JRUN_COMMAND_TEST\"").in(dir).withEnv(Map.of("JRUN_COMMAND_TEST", "set")).check(GENEROUS);
        assertEquals(dir.toRealPath() + "\nset\n", out);
    }

    @Test
    void aHungCommandIsKilledAndNamedWhenItsTimeoutFires() {
        // The shell prints its pid, then becomes sleep (exec: same pid), which would outlast the timeout many times over.
        var failure = assertThrows(Command.TimedOut.class, () -> Command.of("sh", "-c", "echo $$; exec sleep 600").run(Duration.ofSeconds(1)));
        assertTrue(failure.getMessage().startsWith("sh -c echo $$; exec sleep 600 did not finish in 1 s and was killed"), failure.getMessage());
        long pid = Long.parseLong(failure.getMessage().split("--- stdout so far:\n")[1].lines().findFirst().orElseThrow());
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the command was killed and reaped");
    }

    @Test
    void aChildThatKeepsTheOutputOpenDoesNotKeepTheTestWaiting() throws Exception {
        // With a pipe, reading stdout to its end would wait for the background sleep too (as a
        // container's init would hold jrun create's); with a file, the command's own exit is the end.
        String out = Command.of("sh", "-c", "sleep 600 & echo $!").check(GENEROUS);
        long child = Long.parseLong(out.strip());
        try {
            assertTrue(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false), "the child still runs, holding the output file");
        } finally {
            ProcessHandle.of(child).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void checkFailsWithTheCommandAndWhatItWrote() {
        var failure = assertThrows(AssertionError.class, () -> Command.of("sh", "-c", "echo partial; echo broken >&2; exit 2").check(GENEROUS));
        assertEquals("sh -c echo partial; echo broken >&2; exit 2 failed: exit 2\n--- stdout:\npartial\n\n--- stderr:\nbroken\n", failure.getMessage());
    }
}
