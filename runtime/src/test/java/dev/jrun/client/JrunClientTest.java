package dev.jrun.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jrun.server.ProcFacts;
import dev.jrun.testing.ServerStartLock;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * runtime/target/jrun-client (docs/server.md) against a fake server that speaks the frames and
 * records what it got (src/test/python/fake_jrun_server.py: the JDK's Unix sockets cannot pass fds),
 * and a fake bin/jrun (fake_launcher.sh, named by the test-only JRUN_CLIENT_LAUNCHER) that records
 * its starts and becomes a fake server in server mode. No real server or JVM is ever started.
 */
class JrunClientTest {
    private static final Path REPO = Path.of(System.getProperty("jrun.repo", "..")).toAbsolutePath().normalize();
    private static final Path CLIENT = REPO.resolve("runtime/target/jrun-client");
    private static final Path PY = REPO.resolve("runtime/src/test/python");
    private static final String PYTHON = "/usr/bin/python3";
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What the client adds to the server's command line: the readiness pipe it waits on, as its fd 3. */
    private static final String READY = " --ready-fd 3";

    @TempDir
    Path tmp;

    private Path root;
    private Path server;
    private Path record;
    private Path launches;
    private final List<Process> started = new ArrayList<>();

    @BeforeEach
    void paths() {
        root = tmp.resolve("root");
        server = tmp.resolve("server");
        record = tmp.resolve("record.jsonl");
        launches = tmp.resolve("launches.log");
    }

    /** Every fake server this test started, directly or through the fake launcher (by the pid it logged), ends with it. */
    @AfterEach
    void stopFakes() throws IOException {
        started.forEach(Process::destroyForcibly);
        for (String line : launchLines()) {
            Matcher m = Pattern.compile(" pid=(\\d+) ").matcher(line);
            if (m.find()) {
                ProcessHandle.of(Long.parseLong(m.group(1)))
                        .filter(p -> p.info().commandLine().orElse("").contains("fake_jrun_server.py"))
                        .ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    // ---- the request ------------------------------------------------------------------------

    @Test
    void requestCarriesVersionBuildIdCwdArgvOnlyJrunVariablesAndXdgRuntimeDirAndTheThreeFds() throws Exception {
        fakeServer("echo");
        Path stdin = Files.writeString(tmp.resolve("stdin.txt"), "input-line");
        Path cwd = Files.createDirectory(tmp.resolve("cwd"));
        Map<String, String> env = Map.of("JRUN_FOO", "bar", "OTHER", "x", "XDG_RUNTIME_DIR", "/run/user/4242");
        Result r = client(env, stdin, cwd, "--root", root.toString(), "--log", "/dev/null", "state", "x");

        assertEquals(0, r.code, r.transcript());
        assertEquals("hello from the server; stdin: input-line\n", r.out, "written by the server into the client's own stdout");
        assertEquals("to stderr\n", r.err);
        JsonNode q = onlyRecord();
        assertEquals("Q", q.get("type").asText());
        assertEquals(1, q.get("version").asInt());
        assertEquals(System.getProperty("jrun.build.id"), q.get("buildId").asText(), "the build id Maven compiled in");
        assertEquals(cwd.toString(), q.get("cwd").asText());
        assertEquals(List.of("--root", root.toString(), "--log", "/dev/null", "state", "x"), strings(q.get("argv")));
        assertEquals(List.of("JRUN_CLIENT_LAUNCHER=" + PY.resolve("fake_launcher.sh"), "JRUN_FOO=bar", "JRUN_SERVER_DIR=" + server,
                        "XDG_RUNTIME_DIR=/run/user/4242"),
                strings(q.get("env")).stream().sorted().toList());
        assertEquals(3, q.get("fdCount").asInt());
        assertEquals(0, q.get("trailing").asInt(), "nothing after the last list");
        assertEquals(List.of(), launchLines(), "a server answered: nothing started");
    }

    @Test
    void theServerDirectoryDoesNotDependOnTheRootAndARelativeOneIsTakenFromTheCwd() throws Exception {
        fakeServer("exit:0", "--connections", "3");
        assertEquals(0, client(Map.of(), null, tmp, "--debug", "--root=" + root, "list").code);
        assertEquals(0, client(Map.of(), null, tmp, "--root", "elsewhere", "list").code, "one server for every root");
        assertEquals(0, client(Map.of("JRUN_SERVER_DIR", "server"), null, tmp, "list").code, "relative to the cwd");
        assertEquals(List.of(), launchLines());
        assertFalse(Files.exists(root), "the client makes no state root: the server reads --root");
    }

    @Test
    void byDefaultEachInstallationHasItsOwnServerDirectoryUnderRun() throws Exception {
        // Two copies of the client stand for two installations; each names its directory after its own path.
        List<Path> made = new ArrayList<>();
        try {
            for (String copy : List.of("a", "b", "a")) {
                Path client = Files.createDirectories(tmp.resolve(copy)).resolve("jrun-client");
                if (!Files.exists(client)) {
                    Files.copy(CLIENT, client, StandardCopyOption.COPY_ATTRIBUTES);
                }
                Map<String, String> env = new HashMap<>(launcherServes(""));
                env.put("JRUN_SERVER_DIR", "");   // empty is unset: the default applies
                env.put("FAKE_SERVER_FAIL", "1");
                Result r = run(List.of(client.toString(), "list"), env, null, tmp);
                assertEquals(0, r.code, r.transcript());
                awaitLaunches(2 * (made.size() + 1));   // the command, one-shot, and the server started beside it
                String launch = launches().stream().filter(l -> l.contains(" args=server ")).toList().get(made.size());
                Matcher m = Pattern.compile("args=server --dir (/run/jrun-server/[0-9a-f]{16})" + READY + "$").matcher(launch);
                assertTrue(m.find(), launch);
                made.add(Path.of(m.group(1)));
                ServerStartLock.awaitFree(made.getLast(), LIMIT);   // its starter has given up on the failing server and logged why
                assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(made.getLast())));
            }
            assertNotEquals(made.get(0), made.get(1), "one directory per installation");
            assertEquals(made.get(0), made.get(2), "the same installation finds the same one");
        } finally {
            for (Path dir : new LinkedHashSet<>(made)) {
                Files.deleteIfExists(dir.resolve("jrun-server.log"));
                Files.deleteIfExists(dir.resolve("jrun-server.lock"));
                Files.deleteIfExists(dir);
            }
        }
    }

    @Test
    void aServerDirectoryOthersMayWriteIsNotUsed() throws Exception {
        Files.createDirectory(server);
        Files.setPosixFilePermissions(server, PosixFilePermissions.fromString("rwxrwxrwx"));
        Map<String, String> env = Map.of("FAKE_LAUNCHER_LOG", launches.toString(), "FAKE_ONESHOT_EXIT", "9");
        Result r = client(env, null, tmp, "list");
        assertEquals(9, r.code, r.transcript());
        assertEquals(List.of("JRUN_SERVER=off stdin=/dev/null args=list"), launches(), "one-shot: another user could own the socket");
        try (var left = Files.list(server)) {
            assertEquals(List.of(), left.toList(), "nothing written where others could have put it");
        }
    }

    // ---- SPAWN, WAIT, KILL, EXIT -----------------------------------------------------------

    @Test
    void spawnedHelperIsTheClientsChildWithExactlyTheGivenEnvironment() throws Exception {
        fakeServer("spawn-env");
        Process client = start(Map.of("JRUN_FOO", "bar"), null, tmp, "--root", root.toString(), "create", "x");
        Result r = finish(client);

        assertEquals(0, r.code, r.transcript());
        assertEquals("A=1\nB=two words\nEMPTY=\n", r.out, "/usr/bin/env as the helper, on the client's stdout");
        JsonNode q = onlyRecord();
        assertEquals(client.pid(), q.get("helperPpid").asLong(), "the helper descends from the caller, through the client");
        assertEquals(List.of(List.of(-1, 0)), waits(q));
    }

    @Test
    void spawnFailureIsMinusErrnoAndASecondHelperIsRefused() throws Exception {
        fakeServer("spawn-missing,second-spawn", "--connections", "2");
        Result missing = client(Map.of(), null, tmp, "--root", root.toString(), "create", "x");
        Result second = client(Map.of(), null, tmp, "--root", root.toString(), "create", "x");

        assertEquals(9, missing.code, missing.transcript());
        List<JsonNode> records = records();
        assertEquals(List.of(-2L, -2L), longs(records.get(0).get("spawned")), "-ENOENT, and no helper left over");
        assertEquals(0, second.code, second.transcript());
        List<Long> spawned = longs(records.get(1).get("spawned"));
        assertTrue(spawned.get(0) > 0, spawned.toString());
        assertEquals(-16L, spawned.get(1), "-EBUSY: one helper per request");
    }

    @Test
    void waitLooksWaitsWithATimeoutAndRelaysTheListedSignals() throws Exception {
        Path ready = tmp.resolve("ready");
        fakeServer("wait-signal", "--helper", PY.resolve("signal_helper.py").toString(), "--ready", ready.toString());
        Process client = start(Map.of(), null, tmp, "--root", root.toString(), "run", "x");

        await().atMost(LIMIT).until(() -> Files.exists(ready) && Files.size(ready) > 0);
        // In WAIT -1 [TERM, HUP] the client blocks both to read them from a signalfd: then TERM is relayed, not fatal.
        await().atMost(LIMIT).until(() -> blocked(client.pid(), 15) && blocked(client.pid(), 1));
        client.destroy();   // SIGTERM to the client's own pid
        Result r = finish(client);

        assertEquals(42, r.code, "the helper's TERM trap exits 42; the server passes it on: " + r.transcript());
        assertEquals(List.of(List.of(0, -1), List.of(50, -1), List.of(-1, 42)), waits(onlyRecord()));
    }

    @Test
    void relayHoldsTheListedSignalsUntilTheWaitPassesThemOn() throws Exception {
        Path ready = tmp.resolve("ready");
        fakeServer("relay-early", "--helper", PY.resolve("signal_helper.py").toString(), "--ready", ready.toString());
        Process client = start(Map.of(), null, tmp, "--root", root.toString(), "run", "x");

        // RELAY [TERM, HUP]: both held from now on, before any WAIT (run's start comes between the two).
        await().atMost(LIMIT).until(() -> blocked(client.pid(), 15) && blocked(client.pid(), 1));
        client.destroy();   // SIGTERM to the client's own pid: held, not fatal
        await().during(Duration.ofMillis(300)).atMost(LIMIT).until(client::isAlive);
        Files.writeString(tmp.resolve("ready.go"), "");
        Result r = finish(client);

        assertEquals(42, r.code, "the held TERM reached the helper through the WAIT (its TERM trap exits 42): " + r.transcript());
        assertEquals(List.of(List.of(-1, 42)), waits(onlyRecord()));
    }

    @Test
    void killEndsTheHelperAndReportsItsSignal() throws Exception {
        fakeServer("kill", "--helper", PY.resolve("signal_helper.py").toString());
        Result r = client(Map.of(), null, tmp, "--root", root.toString(), "delete", "x");

        assertEquals(0, r.code, r.transcript());
        JsonNode q = onlyRecord();
        assertEquals(137, q.get("killed").asInt(), "128 + SIGKILL");
        assertEquals(List.of(List.of(0, -1), List.of(0, 137)), waits(q), "a WAIT after the reap gives the same status");
        assertGone(q.get("spawned").get(0).asLong());
    }

    @Test
    void exitStatusIsPassedOn() throws Exception {
        fakeServer("exit:3");
        assertEquals(3, client(Map.of(), null, tmp, "--root", root.toString(), "state", "x").code);
    }

    // ---- faults -----------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"die-after-spawn", "die-during-wait"})
    void serverEndingMidRequestKillsTheHelperAndExits1(String scenario) throws Exception {
        fakeServer(scenario, "--helper", PY.resolve("signal_helper.py").toString());
        Result r = client(Map.of(), null, tmp, "--root", root.toString(), "run", "x");

        assertEquals(1, r.code, r.transcript());
        assertEquals("jrun: the jrun server ended during the request (see " + server + "/jrun-server.log)\n", r.err);
        assertEquals("", r.out);
        assertGone(onlyRecord().get("spawned").get(0).asLong());
    }

    @Test
    void silentServerIsGivenUpAfterJrunClientTimeout() throws Exception {
        fakeServer("silent", "--helper", PY.resolve("signal_helper.py").toString());
        long t0 = System.nanoTime();
        Result r = client(Map.of("JRUN_CLIENT_TIMEOUT", "0.5"), null, tmp, "--root", root.toString(), "run", "x");

        assertEquals(1, r.code, r.transcript());
        assertEquals("jrun: the jrun server sent nothing for 0.500 s during the request (JRUN_CLIENT_TIMEOUT; see "
                + server + "/jrun-server.log)\n", r.err);
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(20));
        assertGone(onlyRecord().get("spawned").get(0).asLong());
    }

    @Test
    void unknownFrameIsAProtocolError() throws Exception {
        fakeServer("garbage");
        Result r = client(Map.of(), null, tmp, "--root", root.toString(), "state", "x");
        assertEquals(1, r.code, r.transcript());
        assertTrue(r.err.startsWith("jrun: protocol error from the jrun server: unknown frame type 0x5a"), r.err);
    }

    // ---- starting the server ---------------------------------------------------------------

    @Test
    void firstClientRunsOneShotStartsTheServerBesideItAndMakesItsDirectory0700() throws Exception {
        Map<String, String> env = new HashMap<>(launcherServes("--scenario exit:5 --connections 0 --lifetime 60 --record " + record));
        env.put("FAKE_ONESHOT_EXIT", "4");
        Result r = client(env, null, tmp, "--root", root.toString(), "state", "x");

        assertEquals(4, r.code, r.transcript());
        awaitLaunches(2);
        assertEquals(Set.of("JRUN_SERVER=off stdin=/dev/null args=--root " + root + " state x",
                "JRUN_SERVER=off stdin=/dev/null args=server --dir " + server + READY), Set.copyOf(launches()));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(server)));
        JsonNode warmUp = awaitRecords(1).get(0);
        assertEquals(List.of("--root", server.resolve("warm-up-root-never-made").toString(), "state", "warm-up"),
                strings(warmUp.get("argv")), "the starter's own request: the state of a container in a root nobody makes");
        assertEquals("/", warmUp.get("cwd").asText());

        Result next = client(env, null, tmp, "--root", root.toString(), "state", "y");
        assertEquals(5, next.code, next.transcript());
        assertEquals(List.of("--root", root.toString(), "state", "y"), strings(records().get(1).get("argv")));
        assertEquals(2, launches().size(), "the next call is served, not run one-shot");
    }

    @Test
    void theServerStartsAtIdlePriorityInTheCallersSessionAndGetsItsPriorityBackWhenTheCommandEnds() throws Exception {
        Path fifo = tmp.resolve("command.fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        Map<String, String> env = new HashMap<>(launcherServes("--scenario exit:0 --connections 0 --lifetime 60"));
        env.put("FAKE_ONESHOT_FIFO", fifo.toString());
        Process command = start(env, null, tmp, "--root", root.toString(), "state", "x");

        String serverLine = await().atMost(LIMIT).until(() -> launchLines().stream().filter(l -> l.contains(" args=server ")).findFirst(),
                Optional::isPresent).get();
        long serverPid = field(serverLine, "pid");
        assertEquals(5, field(serverLine, "sched"), "SCHED_IDLE (5) while the one-shot command runs: " + serverLine);
        assertEquals(field(launchLines().get(0), "sid"), field(serverLine, "sid"),
                "in the caller's session, whose autogroup SCHED_IDLE counts in: " + launchLines());

        Files.writeString(fifo, "end\n");   // the command ends
        assertEquals(0, finish(command).code);
        await().atMost(LIMIT).until(() -> ProcFacts.threadPolicies(serverPid).stream().allMatch(p -> p == 0));
    }

    @Test
    void theCallersStdoutEndsWithTheCommandNotWithTheServersStart() throws Exception {
        // A server that never says it listens holds its starter for the 10 s deadline; the command's output must not wait.
        Map<String, String> env = launcherServes("--ready-fd -1 --scenario exit:0 --connections 0 --lifetime 60");
        Process shell = startProcess(List.of("bash", "-c", "'" + CLIENT + "' state x | cat; echo piped-out"), env, null, tmp);

        Result r = finish(shell);
        assertEquals("piped-out\n", r.out, "cat saw the end of the pipe: " + r.transcript());
        String log = Files.exists(server.resolve("jrun-server.log")) ? Files.readString(server.resolve("jrun-server.log")) : "";
        assertFalse(log.contains("did not say it listens"), "the pipe ended while the starter still waited for its server: " + log);
        awaitLaunches(2);   // the server, which the AfterEach stops by its pid
    }

    @Test
    void staleServerMakesTheClientRunOneShotAndStartANewServer() throws Exception {
        fakeServer("stale");
        Path second = tmp.resolve("second.jsonl");
        Map<String, String> env = new HashMap<>(launcherServes("--scenario exit:7 --connections 0 --lifetime 60 --record " + second));
        env.put("FAKE_ONESHOT_EXIT", "3");
        Result r = client(env, null, tmp, "--root", root.toString(), "state", "x");

        assertEquals(3, r.code, r.transcript());
        awaitLaunches(2);
        assertEquals(Set.of("JRUN_SERVER=off stdin=/dev/null args=--root " + root + " state x",
                "JRUN_SERVER=off stdin=/dev/null args=server --dir " + server + READY), Set.copyOf(launches()),
                "one new server, started as docs/server.md says");
        JsonNode first = onlyRecord();
        assertEquals(List.of("--root", root.toString(), "state", "x"), strings(first.get("argv")));
        await().atMost(LIMIT).until(() -> Files.exists(second) && !Files.readString(second).isEmpty());
        JsonNode warmUp = JSON.readTree(Files.readAllLines(second).get(0));
        assertEquals(first.get("buildId"), warmUp.get("buildId"));
        assertTrue(Files.readString(server.resolve("jrun-server.log")).contains("of another build"));
    }

    @Test
    void serverJustStartedOfAnotherBuildIsLoggedAsARebuildToDo() throws Exception {
        Map<String, String> env = new HashMap<>(launcherServes("--scenario stale"));
        env.put("FAKE_ONESHOT_EXIT", "6");
        Result r = client(env, null, tmp, "--root", root.toString(), "state", "x");

        assertEquals(6, r.code, r.transcript());
        await().atMost(LIMIT).until(() -> Files.exists(server.resolve("jrun-server.log"))
                && Files.readString(server.resolve("jrun-server.log")).contains("rebuild, so that runtime/target/jrun.jar and jrun-client match"));
        assertEquals(2, launches().size(), launchLines().toString());
    }

    @Test
    void serverClosingWithoutReadingMakesTheClientRunOneShotAndStartANewOne() throws Exception {
        fakeServer("unread");
        Map<String, String> env = new HashMap<>(launcherServes("--scenario exit:4 --connections 0 --lifetime 60"));
        env.put("FAKE_ONESHOT_EXIT", "9");
        Result r = client(env, null, tmp, "--root", root.toString(), "state", "x");
        assertEquals(9, r.code, r.transcript());
        awaitLaunches(2);
        assertTrue(launches().contains("JRUN_SERVER=off stdin=/dev/null args=server --dir " + server + READY), launchLines().toString());
    }

    @Test
    void jrunServerIdleBecomesTheServersIdleTimeout() throws Exception {
        Map<String, String> env = new HashMap<>(launcherServes("--scenario exit:0"));
        env.put("JRUN_SERVER_IDLE", "7");
        Result r = client(env, null, tmp, "--root", root.toString(), "list");
        assertEquals(0, r.code, r.transcript());
        awaitLaunches(2);
        assertTrue(launches().contains("JRUN_SERVER=off stdin=/dev/null args=server --dir " + server + READY + " --idle-timeout 7"),
                launchLines().toString());
    }

    @Test
    void racingFirstClientsRunOneCommandOneShotAndStartExactlyOneServerThatServesTheOthers() throws Exception {
        int clients = 4;
        Map<String, String> env = launcherServes("--scenario exit:0 --connections 0 --lifetime 60 --record " + record);
        List<Process> all = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            all.add(start(env, null, tmp, "--root", root.toString(), "state", "x" + i));
        }
        for (Process p : all) {
            Result r = finish(p);
            assertEquals(0, r.code, r.transcript());
        }
        // Each client is done: the one that ran one-shot had its server started (the others waited for it), and
        // whichever came after the server listened was served.
        awaitLaunches(2);
        List<String> lines = launches();
        assertEquals(1, lines.stream().filter(l -> l.contains(" args=server ")).count(), lines.toString());
        long oneShot = lines.stream().filter(l -> l.contains(" state x")).count();
        assertEquals(clients, oneShot + records().stream().filter(n -> !strings(n.get("argv")).contains("warm-up")).count(),
                "every command ran once, one-shot or served: " + lines);
    }

    @Test
    void aServerThatCannotStartIsLoggedAndEachCommandStillRunsOneShot() throws Exception {
        Map<String, String> env = new HashMap<>(launcherServes(""));
        env.put("FAKE_SERVER_FAIL", "1");
        env.put("FAKE_ONESHOT_EXIT", "6");
        Result r = client(env, null, tmp, "--root", root.toString(), "state", "x");

        assertEquals(6, r.code, r.transcript());
        await().atMost(LIMIT).until(() -> Files.exists(server.resolve("jrun-server.log"))
                && Files.readString(server.resolve("jrun-server.log")).contains("exited at once"));
        // The lock is free again once the starter has given up: the next command tries again.
        awaitLockFree();
        Result again = client(env, null, tmp, "--root", root.toString(), "state", "y");
        assertEquals(6, again.code, again.transcript());
        awaitLaunches(4);
        assertEquals(2, launches().stream().filter(l -> l.contains(" args=server ")).count(), launchLines().toString());
    }

    // ---- one-shot ---------------------------------------------------------------------------

    @Test
    void jrunServerOffExecsTheOneShotLauncherWithTheSameArguments() throws Exception {
        Map<String, String> env = Map.of("JRUN_SERVER", "off", "FAKE_LAUNCHER_LOG", launches.toString(), "FAKE_ONESHOT_EXIT", "5");
        Result r = client(env, null, tmp, "--root", root.toString(), "state", "a b");

        assertEquals(5, r.code, r.transcript());
        assertEquals(List.of("JRUN_SERVER=off stdin=/dev/null args=--root " + root + " state a b"), launches());
        assertFalse(Files.exists(server), "no server, no directory made");
    }

    @Test
    void theNoServerFlagExecsTheOneShotLauncherWithTheSameArguments() throws Exception {
        fakeServer("exit:3");   // would answer, were it asked
        Map<String, String> env = Map.of("FAKE_LAUNCHER_LOG", launches.toString(), "FAKE_ONESHOT_EXIT", "5");
        Result r = client(env, null, tmp, "--root", root.toString(), "--no-server", "state", "x");

        assertEquals(5, r.code, r.transcript());
        assertEquals(List.of("JRUN_SERVER=off stdin=/dev/null args=--root " + root + " --no-server state x"), launches());
        assertFalse(Files.exists(record), "the server was never asked");
    }

    @Test
    void serverVerbAlwaysRunsOneShot() throws Exception {
        Map<String, String> env = Map.of("FAKE_LAUNCHER_LOG", launches.toString());
        Result r = client(env, null, tmp, "--log", "x", "--root", root.toString(), "server", "--idle-timeout", "5");
        assertEquals(0, r.code, r.transcript());
        Result given = client(env, null, tmp, "server", "--dir=" + tmp.resolve("elsewhere"));
        assertEquals(0, given.code, given.transcript());
        assertEquals(List.of("JRUN_SERVER=off stdin=/dev/null args=--log x --root " + root + " server --idle-timeout 5 --dir " + server,
                "JRUN_SERVER=off stdin=/dev/null args=server --dir=" + tmp.resolve("elsewhere")), launches(),
                "without --dir, the directory later clients will look in");
    }

    @Test
    void serverDirectoryTooLongForASocketRunsOneShotAndSaysSoInTheLog() throws Exception {
        Path deep = tmp.resolve("d".repeat(60)).resolve("e".repeat(60));
        Map<String, String> env = Map.of("FAKE_LAUNCHER_LOG", launches.toString(), "FAKE_ONESHOT_EXIT", "8",
                "JRUN_SERVER_DIR", deep.toString());
        Result r = client(env, null, tmp, "--root", deep.toString(), "list");

        assertEquals(8, r.code, r.transcript());
        assertEquals(List.of("JRUN_SERVER=off stdin=/dev/null args=--root " + deep + " list"), launches());
        assertTrue(Files.readString(deep.resolve("jrun-server.log")).contains("would exceed 107 bytes; running one-shot"));
    }

    @Test
    void binJrunExecsTheClientWhenJrunServerIsOn() throws Exception {
        fakeServer("exit:11");
        List<String> command = List.of(REPO.resolve("bin/jrun").toString(), "--root", root.toString(), "state", "x");
        Result r = run(command, Map.of("JRUN_SERVER", "on"), null, tmp);
        assertEquals(11, r.code, r.transcript());
        assertEquals(List.of("--root", root.toString(), "state", "x"), strings(onlyRecord().get("argv")));
    }

    // ---- plumbing ---------------------------------------------------------------------------

    private record Result(int code, String out, String err) {
        String transcript() {
            return "exit " + code + "\n--- stdout:\n" + out + "\n--- stderr:\n" + err;
        }
    }

    /** A fake server on server/jrun.sock, listening once this returns. */
    private void fakeServer(String scenarios, String... more) throws Exception {
        Files.createDirectories(server, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        List<String> command = new ArrayList<>(List.of(PYTHON, PY.resolve("fake_jrun_server.py").toString(),
                "--socket", server.resolve("jrun.sock").toString(), "--scenario", scenarios, "--record", record.toString()));
        command.addAll(List.of(more));
        Process fake = new ProcessBuilder(command)
                .redirectOutput(tmp.resolve("fake-server.out").toFile())
                .redirectError(tmp.resolve("fake-server.err").toFile())
                .start();
        started.add(fake);
        await().atMost(LIMIT).until(() -> Files.exists(server.resolve("jrun.sock")) || !fake.isAlive());
        if (!fake.isAlive()) {
            throw new AssertionError("the fake server did not start: " + read(tmp.resolve("fake-server.err")));
        }
    }

    /** The environment under which the fake launcher, started as the server, serves with these arguments. */
    private Map<String, String> launcherServes(String fakeServerArgs) {
        return Map.of("FAKE_LAUNCHER_LOG", launches.toString(), "FAKE_SERVER_ARGS", fakeServerArgs);
    }

    private Result client(Map<String, String> env, Path stdin, Path cwd, String... args) throws Exception {
        return finish(start(env, stdin, cwd, args));
    }

    private Process start(Map<String, String> env, Path stdin, Path cwd, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(CLIENT.toString()));
        command.addAll(List.of(args));
        return startProcess(command, env, stdin, cwd);
    }

    private Result run(List<String> command, Map<String, String> env, Path stdin, Path cwd) throws Exception {
        return finish(startProcess(command, env, stdin, cwd));
    }

    /** A clean environment (PATH only), the fake launcher, and env; output to files named by the pid. */
    private Process startProcess(List<String> command, Map<String, String> env, Path stdin, Path cwd) throws IOException {
        Path out = Files.createTempFile(tmp, "client-", ".out");
        Path err = Files.createTempFile(tmp, "client-", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile())
                .redirectInput(stdin == null ? ProcessBuilder.Redirect.from(new File("/dev/null")) : ProcessBuilder.Redirect.from(stdin.toFile()))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().clear();
        builder.environment().put("PATH", "/usr/bin:/bin");
        builder.environment().put("JRUN_CLIENT_LAUNCHER", PY.resolve("fake_launcher.sh").toString());
        builder.environment().put("JRUN_SERVER_DIR", server.toString());
        builder.environment().putAll(env);
        Process p = builder.start();
        started.add(p);
        outputs.put(p, new Path[] {out, err});
        return p;
    }

    private final Map<Process, Path[]> outputs = new HashMap<>();

    private Result finish(Process p) throws Exception {
        if (!p.waitFor(LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the client did not finish in " + LIMIT.toSeconds() + " s: " + read(outputs.get(p)[1]));
        }
        return new Result(p.exitValue(), read(outputs.get(p)[0]), read(outputs.get(p)[1]));
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? new String(Files.readAllBytes(file), UTF_8) : "";
    }

    private List<JsonNode> records() throws IOException {
        List<JsonNode> all = new ArrayList<>();
        for (String line : Files.readAllLines(record)) {
            JsonNode node = JSON.readTree(line);
            assertFalse(node.has("error"), () -> "the fake server failed: " + node.get("error"));
            all.add(node);
        }
        return all;
    }

    private JsonNode onlyRecord() throws IOException {
        List<JsonNode> all = records();
        assertEquals(1, all.size(), all.toString());
        return all.get(0);
    }

    private List<String> launchLines() throws IOException {
        return Files.exists(launches) ? Files.readAllLines(launches) : List.of();
    }

    /** The launcher's lines without what changes from run to run: pid, scheduling policy, session. */
    private List<String> launches() throws IOException {
        return launchLines().stream().map(l -> l.replaceFirst(" pid=\\d+ sched=\\d+ sid=\\d+", "")).toList();
    }

    /** A number the fake launcher logged in a line, as NAME=N. */
    private static long field(String line, String name) {
        Matcher m = Pattern.compile(" " + name + "=(\\d+) ").matcher(line);
        assertTrue(m.find(), name + " in " + line);
        return Long.parseLong(m.group(1));
    }

    private void awaitLaunches(int count) {
        await().atMost(LIMIT).until(() -> launchLines().size() >= count);
    }

    private List<JsonNode> awaitRecords(int count) {
        return await().atMost(LIMIT).until(() -> Files.exists(record) ? records() : List.<JsonNode>of(), all -> all.size() >= count);
    }

    /** The start lock is free: no starter holds it. */
    private void awaitLockFree() {
        ServerStartLock.awaitFree(server, LIMIT);
    }

    private static List<String> strings(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    private static List<Long> longs(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asLong).toList();
    }

    private static List<List<Integer>> waits(JsonNode record) {
        List<List<Integer>> all = new ArrayList<>();
        record.get("waits").forEach(w -> all.add(List.of(w.get(0).asInt(), w.get(1).asInt())));
        return all;
    }

    /** Whether signal sig is blocked in process pid (its SigBlk mask). */
    private static boolean blocked(long pid, int sig) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("SigBlk:")) {
                return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << (sig - 1))) != 0;
            }
        }
        return false;
    }

    /** The helper the client spawned is gone: the client killed and reaped it before exiting. */
    private static void assertGone(long pid) {
        Optional<ProcessHandle> helper = ProcessHandle.of(pid);
        assertTrue(helper.isEmpty() || !helper.get().info().commandLine().orElse("").contains("signal_helper.py"),
                "the helper " + pid + " still runs");
    }
}
