package dev.jrun.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jrun.state.ContainerLock;
import dev.jrun.state.ContainerState;
import dev.jrun.state.Phase;
import dev.jrun.state.StateStore;
import dev.jrun.sys.FileIdentity;
import dev.jrun.sys.KnownProcess;
import dev.jrun.sys.LinuxProcessTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * state, start, kill and delete in the forms tools use (runc's), through jrun's one command line: what
 * each form does to a real process, and the exit code and message of each mistake. The "container" is a
 * state record whose init is a `sleep` this test starts, so no root and no jrun-init are needed; its
 * recorded jrun-init binary matches nothing, so it counts as running, in the host's pid namespace.
 */
class HotVerbsCommandLineTest {
    private static final String ID = "c";

    @TempDir
    Path root;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopWhatTheTestStarted() {
        started.forEach(Process::destroyForcibly);
    }

    private Process runningContainer() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "600").start();
        started.add(sleep);
        KnownProcess init = new LinuxProcessTable().process(sleep.pid()).orElseThrow();
        ContainerState state = new ContainerState("1.2.0", ID, init.pid(), init.startTime(), ProcessHandle.current().pid(), 0,
                root.toString(), root.resolve("rootfs").toString(), "2026-12-03T00:00:00Z", Map.of(), Phase.CREATED,
                new FileIdentity(0, 0), null, null);
        try (ContainerLock _ = new StateStore(root).reserve(state)) {
            // reserved with its state; the lock is only needed while it is written
        }
        return sleep;
    }

    private CliRun jrun(String... args) {
        List<String> argv = new ArrayList<>(List.of("--root", root.toString()));
        argv.addAll(List.of(args));
        return CliRun.of(argv.toArray(String[]::new));
    }

    /** How the process ended: 128 + the signal that killed it, as Process reports it. */
    private static int killedBy(Process process) throws InterruptedException {
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the process ended");
        return process.exitValue() - 128;
    }

    @ParameterizedTest(name = "kill c {0}")
    @CsvSource({"'', 15", "TERM, 15", "9, 9", "SIGKILL, 9", "hup, 1"})
    void killSendsTheGivenSignalByNameOrNumberAndTermByDefault(String signal, int number) throws Exception {
        Process init = runningContainer();
        CliRun kill = signal.isEmpty() ? jrun("kill", ID) : jrun("kill", ID, signal);
        assertEquals(ExitCodes.OK, kill.exitCode(), kill.err());
        assertEquals("", kill.err());
        assertEquals(number, killedBy(init));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-a", "--all"})
    void killAllOfAContainerWithoutItsOwnPidNamespaceSignalsNothing(String all) throws Exception {
        Process init = runningContainer();
        CliRun refused = jrun("kill", all, ID, "KILL");
        assertEquals(ExitCodes.FAILED, refused.exitCode());
        assertTrue(refused.err().startsWith("jrun: kill: cannot signal every process of container \"c\""), refused.err());
        // Had the refused SIGKILL gone out, the init would be dead and this TERM would be refused.
        assertEquals(ExitCodes.OK, jrun("kill", ID, "TERM").exitCode());
        assertEquals(15, killedBy(init));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-f", "--force"})
    void deleteOfARunningContainerIsRefusedUnlessForcedWhichKillsIt(String force) throws Exception {
        Process init = runningContainer();
        CliRun refused = jrun("delete", ID);
        assertEquals(ExitCodes.FAILED, refused.exitCode());
        assertEquals("jrun: delete: cannot delete container \"c\": it is running; delete needs it stopped (or use --force)\n",
                refused.err());
        assertTrue(init.isAlive());
        CliRun forced = jrun("delete", force, ID);
        assertEquals(ExitCodes.OK, forced.exitCode(), forced.err());
        assertEquals("", forced.err());
        assertEquals(9, killedBy(init));
        assertFalse(Files.exists(root.resolve(ID)), "the state is gone");
    }

    @Test
    void stateTakesEveryGlobalOptionFormToolsPass() throws Exception {
        Process init = runningContainer();
        CliRun state = CliRun.of("--debug", "--systemd-cgroup", "--root=" + root, "--log", root.resolve("log").toString(),
                "--log-format=json", "state", ID);
        assertEquals(ExitCodes.OK, state.exitCode(), state.err());
        JsonNode json = new ObjectMapper().readTree(state.out());
        assertEquals(ID, json.get("id").asText());
        assertEquals("running", json.get("status").asText());
        assertEquals(init.pid(), json.get("pid").asLong());
        assertEquals(init.pid(), new ObjectMapper().readTree(jrun("state", "./c.yaml").out()).get("pid").asLong(),
                "a path ending in .yaml names its stem");
    }

    @Test
    void resumeOfARunningContainerAndPauseOfOneWithoutCgroupsAreRefusedAndChangeNothing() throws Exception {
        Process init = runningContainer();
        CliRun resume = jrun("resume", ID);
        assertEquals(ExitCodes.FAILED, resume.exitCode());
        assertEquals("jrun: resume: cannot resume container \"c\": it is running; resume needs it paused\n", resume.err());
        CliRun pause = jrun("pause", ID);
        assertEquals(ExitCodes.FAILED, pause.exitCode());
        assertTrue(pause.err().startsWith("jrun: pause: cannot pause container \"c\": it has no cgroup of its own"), pause.err());
        assertTrue(init.isAlive());
        assertEquals("running", new ObjectMapper().readTree(jrun("state", ID).out()).get("status").asText());
    }

    @Test
    void startOfARunningContainerIsRefused() throws Exception {
        runningContainer();
        CliRun start = jrun("start", ID);
        assertEquals(ExitCodes.FAILED, start.exitCode());
        assertEquals("jrun: start: cannot start container \"c\": it is running; start needs it created\n", start.err());
    }

    @Test
    void anArgumentStartingWithAtIsTakenAsWrittenNotAsAnArgumentFile() throws Exception {
        runningContainer();
        Path argumentFile = Files.writeString(root.resolve("arguments"), ID + "\n");
        CliRun state = jrun("state", "@" + argumentFile);
        assertEquals(ExitCodes.FAILED, state.exitCode(), "not the state of \"c\", which the file names: " + state.out());
        assertTrue(state.err().contains("may only hold letters, digits"), state.err());
    }

    @Test
    void aMissingContainerIsAnErrorExceptForDeleteForce() {
        for (String verb : List.of("state", "start", "kill", "pause", "resume", "delete")) {
            CliRun missing = jrun(verb, "nosuch");
            assertEquals(ExitCodes.FAILED, missing.exitCode(), verb);
            assertEquals("jrun: " + verb + ": container \"nosuch\" does not exist (see `jrun list`)\n", missing.err());
        }
        for (String[] forced : List.of(new String[] {"delete", "--force", "nosuch"}, new String[] {"delete", "-f", "nosuch"},
                new String[] {"delete", "-f", "./nosuch.json"})) {
            CliRun run = jrun(forced);
            assertEquals(ExitCodes.OK, run.exitCode(), run.err());
            assertEquals("", run.err());
        }
        CliRun path = jrun("state", "../nosuch");
        assertEquals(ExitCodes.FAILED, path.exitCode());
        assertTrue(path.err().startsWith("jrun: state: the container id \"../nosuch\" may only hold"), path.err());
    }

    @Test
    void anErrorGoesToTheLogInTheFormatAsked() throws Exception {
        Path jsonLog = root.resolve("json.log");
        CliRun json = CliRun.of("--root=" + root, "--log", jsonLog.toString(), "--log-format", "json", "start", "nosuch");
        assertEquals(ExitCodes.FAILED, json.exitCode());
        JsonNode entry = new ObjectMapper().readTree(Files.readString(jsonLog));
        assertEquals("error", entry.get("level").asText());
        assertEquals("start: container \"nosuch\" does not exist (see `jrun list`)", entry.get("msg").asText());
        Path textLog = root.resolve("text.log");
        assertEquals(ExitCodes.FAILED, jrun("--log=" + textLog, "kill", "nosuch").exitCode());
        assertTrue(Files.readString(textLog).endsWith(" error kill: container \"nosuch\" does not exist (see `jrun list`)\n"),
                Files.readString(textLog));
    }

    @ParameterizedTest
    @ValueSource(strings = {"BOGUS", "65", "-1", "99999999999", "RTMIN+99999999999", "RTMAX-99999999999", "SIG99999999999999999999"})
    void anUnknownSignalIsOneClearLine(String signal) {
        CliRun kill = jrun("kill", "nosuch", signal);
        assertEquals(ExitCodes.FAILED, kill.exitCode(), kill.err());
        assertEquals("jrun: kill: unknown signal \"" + signal + "\"; use a name such as TERM, KILL, HUP or a number from 1 to 64\n",
                kill.err());
    }

    static Stream<List<String>> wrongCommandLines() {
        return Stream.of(List.of("state"), List.of("state", "a", "b"), List.of("start", "a", "b"), List.of("kill"),
                List.of("kill", "a", "9", "extra"), List.of("delete", "--forse", "a"), List.of("delete", "-a", "a"),
                List.of("--unknown", "state", "a"), List.of("--log-format", "xml", "state", "a"), List.of("state", "a", "--root"));
    }

    @ParameterizedTest
    @MethodSource("wrongCommandLines")
    void aWrongCommandLineIsAUsageErrorThatPointsToHelp(List<String> args) {
        CliRun run = jrun(args.toArray(String[]::new));
        assertEquals(ExitCodes.USAGE, run.exitCode(), run.err());
        assertTrue(run.err().startsWith("jrun: "), run.err());
        assertTrue(run.err().strip().endsWith("--help' for usage."), run.err());
        assertEquals("", run.out());
    }
}
