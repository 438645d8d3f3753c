package dev.jrun.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
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

    @Test
    void bothPathsReportTheSameErrorAndExitCode() {
        CliRun fast = CliRun.of("--root", root.toString(), "delete", "--force", "nosuch");
        assertEquals(ExitCodes.FAILED, fast.exitCode());
        assertEquals("jrun: delete: container \"nosuch\" does not exist (see `jrun list`)\n", fast.err());
        CliRun bogusSignal = CliRun.of("--root", root.toString(), "kill", "nosuch", "BOGUS");
        assertEquals(ExitCodes.FAILED, bogusSignal.exitCode());
        assertTrue(bogusSignal.err().contains("unknown signal \"BOGUS\""), bogusSignal.err());
        assertEquals(ExitCodes.USAGE, CliRun.of("--log-format", "xml", "state", "x").exitCode());
    }
}
