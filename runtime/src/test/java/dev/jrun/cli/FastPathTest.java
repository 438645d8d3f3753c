package dev.jrun.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** The fast path takes runc's plain forms of the hot verbs and leaves everything else to picocli, with the same results. */
class FastPathTest {
    @TempDir
    Path root;

    private boolean taken(String... args) {
        return FastPath.tryRun(args, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())).isPresent();
    }

    @Test
    void takesThePlainFormsToolsUse() {
        assertTrue(taken("--root", root.toString(), "state", "x"));
        assertTrue(taken("--root=" + root, "--log", root.resolve("log").toString(), "--log-format", "json", "start", "x"));
        assertTrue(taken("--root", root.toString(), "delete", "--force", "x"));
        assertTrue(taken("--root", root.toString(), "kill", "x", "KILL"));
        assertTrue(taken("--root", root.toString(), "kill", "--all", "x", "9"));
    }

    @Test
    void leavesEverythingElseToPicocli() {
        assertEquals(false, taken("state", "--help"));
        assertEquals(false, taken("--root", root.toString(), "kill", "x", "BOGUS"));
        assertEquals(false, taken("--log-format", "xml", "state", "x"));
        assertEquals(false, taken("--unknown", "state", "x"));
        assertEquals(false, taken("create", "x"));
        assertEquals(false, taken("state"));
        assertEquals(false, taken("state", "a", "b"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"delete nosuch", "delete --force nosuch", "state nosuch", "start nosuch", "kill nosuch KILL",
            "kill --all nosuch 9", "state ../nosuch", "delete -f ./nosuch.json"})
    void bothPathsGiveTheSameOutputErrorAndExitCode(String command) {
        List<String> args = new ArrayList<>(List.of("--root", root.toString()));
        args.addAll(List.of(command.split(" ")));
        String[] argv = args.toArray(String[]::new);
        var fastOut = new StringWriter();
        var fastErr = new StringWriter();
        var fast = FastPath.tryRun(argv, new PrintWriter(fastOut, true), new PrintWriter(fastErr, true));
        assertTrue(fast.isPresent(), "the fast path takes " + command);
        var slowOut = new StringWriter();
        var slowErr = new StringWriter();
        int slow = Main.runWithPicocli(argv, new PrintWriter(slowOut, true), new PrintWriter(slowErr, true));
        assertEquals(slow, fast.getAsInt(), command);
        assertEquals(slowOut.toString(), fastOut.toString(), command);
        assertEquals(slowErr.toString(), fastErr.toString(), command);
    }

    @Test
    void aMissingContainerIsAnErrorExceptForDeleteForce() {
        CliRun missing = CliRun.of("--root", root.toString(), "delete", "nosuch");
        assertEquals(ExitCodes.FAILED, missing.exitCode());
        assertEquals("jrun: delete: container \"nosuch\" does not exist (see `jrun list`)\n", missing.err());
        CliRun forced = CliRun.of("--root", root.toString(), "delete", "--force", "nosuch");
        assertEquals(ExitCodes.OK, forced.exitCode(), forced.err());
        assertEquals("", forced.err());
        CliRun bogusSignal = CliRun.of("--root", root.toString(), "kill", "nosuch", "BOGUS");
        assertEquals(ExitCodes.FAILED, bogusSignal.exitCode());
        assertTrue(bogusSignal.err().contains("unknown signal \"BOGUS\""), bogusSignal.err());
        assertEquals(ExitCodes.USAGE, CliRun.of("--log-format", "xml", "state", "x").exitCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999", "RTMIN+99999999999", "RTMAX-99999999999", "SIG99999999999999999999", "-1", "65"})
    void anOutOfRangeSignalIsAClearErrorNotAStackTrace(String signal) {
        CliRun kill = CliRun.of("--root", root.toString(), "kill", "nosuch", signal);
        assertEquals(ExitCodes.FAILED, kill.exitCode(), kill.err());
        assertTrue(kill.err().startsWith("jrun: kill: unknown signal"), kill.err());
        assertEquals(1, kill.err().lines().count(), kill.err());
    }
}
