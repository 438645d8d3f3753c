package dev.jrun.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jrun.lifecycle.Bundles;
import dev.jrun.lifecycle.JrunProcess;
import dev.jrun.sys.ProcStat;
import dev.jrun.testing.Command;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real client (runtime/target/jrun-client, which bin/jrun runs with JRUN_SERVER=on) and the real server it starts,
 * on the real kernel (root required): docs/server.md, "Starting and ending the server" and "The client in detail".
 * Each test has its own server directory (JRUN_SERVER_DIR) and state root. The servers are the clients' doing and
 * nobody's child here, so each test ends them by the pid they wrote, once /proc shows that pid is a server of this
 * test's directory.
 */
class ClientServerIT {
    private static final Duration LONG = Duration.ofSeconds(60);
    private static final Path JRUN = JrunProcess.REPO.resolve("bin/jrun");
    /** Longer than any test, short enough that a server a failed clean-up missed ends by itself. */
    private static final String IDLE_SECONDS = "120";
    private static final Map<String, String> ONE_SHOT = Map.of("JRUN_SERVER", "off");

    @TempDir
    static Path shared;

    static Path bundle;

    @TempDir
    Path work;

    Path root;
    Path serverDir;
    ClientStartedServers servers;
    final List<ClientCall> calls = new ArrayList<>();
    final List<String> containers = new ArrayList<>();

    @BeforeAll
    static void rootfs() throws Exception {
        bundle = Bundles.busyboxBundle(shared);
    }

    @BeforeEach
    void paths() {
        root = work.resolve("root");
        serverDir = work.resolve("server");
        servers = new ClientStartedServers(serverDir);
    }

    @AfterEach
    void cleanUp() throws Exception {
        try {
            for (ClientCall call : calls) {
                call.end();
            }
            // before the deletes: a request stopped by fault injection holds its container's lock until its server ends
            servers.stopAll();
        } finally {
            for (String id : containers) {
                run(ONE_SHOT, "--root", root.toString(), "delete", "--force", id);
            }
        }
        if (Files.isDirectory(root)) {
            assertEquals(List.of(), entries(root), "state left in " + root);
        }
    }

    @Test
    void theFirstCallRunsOneShotAndStartsADetachedServerThatServesTheNext() throws Exception {
        ClientCall first = startJrun(Map.of(), "--root", root.toString(), "list");
        Command.Result listed = first.result(LONG);
        assertEquals(0, listed.code(), listed.transcript());
        assertTrue(listed.out().startsWith("ID "), listed.transcript());
        long server = servers.awaitPid(LONG);
        // It answered the starter's warm-up request, then left the caller's cgroups and session.
        await().atMost(LONG).until(() -> servers.log().contains("jrun server (pid " + server + "): left the caller's session"));
        assertEquals(List.of(server), servers.started(), servers.log());
        assertEquals("rwx------", permissions(serverDir), "a missing server directory is made 0700");
        List<String> argv = ProcFacts.commandLine(server);
        assertEquals(List.of("server", "--dir", serverDir.toString(), "--ready-fd", "3", "--idle-timeout", IDLE_SECONDS),
                argv.subList(argv.indexOf("dev.jrun.cli.Main") + 1, argv.size()), "started from JRUN_SERVER_IDLE: " + argv);

        // Nobody's child here: its parent is init or the nearest subreaper above the caller.
        long self = ProcessHandle.current().pid();
        long parent = ProcFacts.parentOf(server).orElseThrow();
        assertNotEquals(self, parent);
        assertNotEquals(first.pid(), parent);
        List<Long> ancestors = ProcFacts.ancestorsOf(self);
        assertTrue(parent == 1 || ancestors.contains(parent), "parent " + parent + ", the test's ancestors " + ancestors);

        // A session of its own (it started SCHED_IDLE in the caller's session, beside the one-shot command, and left it
        // after its first answer), so that the caller's terminal and its job control never reach the server; and
        // every thread back at SCHED_OTHER.
        long session = ProcFacts.statField(server, ProcFacts.SESSION).orElseThrow();
        assertNotEquals(ProcFacts.statField(self, ProcFacts.SESSION).orElseThrow(), session, "not the caller's session");
        assertEquals(session, ProcFacts.statField(server, ProcFacts.PROCESS_GROUP).orElseThrow(), "in the session's only group");
        assertEquals(0, ProcFacts.statField(server, ProcFacts.CONTROLLING_TTY).orElseThrow(), "no controlling terminal");
        assertEquals(List.of(server), ProcFacts.sessionMembers(session), "alone in session " + session);
        assertEquals(List.of(0L), ProcFacts.threadPolicies(server).stream().distinct().toList(), "SCHED_OTHER (0) only");

        for (int fd = 0; fd <= 2; fd++) {
            assertEquals(Optional.of(Path.of("/dev/null")), ProcFacts.link(server, "fd/" + fd), "fd " + fd);
        }
        assertEquals(Optional.of(Path.of("/")), ProcFacts.link(server, "cwd"));
        List<String> open = ProcFacts.descriptors(server);
        assertTrue(open.stream().noneMatch(fd -> fd.endsWith(first.outFile().toString()) || fd.endsWith(first.errFile().toString())),
                "nothing of the first caller's is still open in the server: " + open);
        assertTrue(open.stream().noneMatch(fd -> fd.contains("pipe:")), "the readiness pipe was closed once it was written: " + open);

        Command.Result again = jrun("--root", root.toString(), "list");
        assertEquals(0, again.code(), again.transcript());
        assertEquals(listed.out(), again.out());
        assertEquals(OptionalLong.of(server), servers.pidFromFile());
        assertEquals(List.of(server), servers.started(), "one server for both calls: " + servers.log());
        assertFalse(servers.log().contains("running one-shot"), servers.log());
    }

    @Test
    void anIdleServerExitsByItselfAndTheNextCallStartsANewOne() throws Exception {
        Map<String, String> idle = Map.of("JRUN_SERVER_IDLE", "2");
        Command.Result listed = run(idle, "--root", root.toString(), "list");
        assertEquals(0, listed.code(), listed.transcript());
        long first = servers.awaitPid(LONG);

        await().atMost(LONG).until(() -> !servers.isRunningServer(first));
        assertFalse(Files.exists(servers.pidFile()), "the pid file goes with the server");
        assertFalse(Files.exists(servers.socket()), "and so does its socket");
        servers.assertLogged("jrun server (pid " + first + "): stopping: idle for 2 s");
        servers.assertLogged("jrun server (pid " + first + "): stopped: idle for 2 s; served 1 request(s)");

        Command.Result next = run(idle, "--root", root.toString(), "list");
        assertEquals(0, next.code(), next.transcript());
        assertEquals(listed.out(), next.out());
        servers.awaitPid(LONG);
        List<Long> started = servers.started();
        assertEquals(2, started.size(), servers.log());
        assertNotEquals(first, started.get(1));
    }

    @Test
    void racingFirstCallsStartExactlyOneServer() throws Exception {
        // One of them runs one-shot and has a server started beside it; the others wait for that server and are served.
        List<ClientCall> racing = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            racing.add(startJrun(Map.of(), "--root", root.toString(), "list"));
        }
        for (ClientCall call : racing) {
            Command.Result result = call.result(LONG);
            assertEquals(0, result.code(), result.transcript());
            assertTrue(result.out().startsWith("ID "), result.transcript());
        }
        servers.awaitPid(LONG);
        servers.awaitStartsSettled();
        assertEquals(1, servers.started().size(), servers.log());
        assertFalse(servers.log().contains("running one-shot"), "no call fell back: " + servers.log());
    }

    @Test
    void aClientOfAnotherBuildRunsOneShotReplacesTheServerAndSaysToRebuildWhenTheJarIsNotOfItsBuild() throws Exception {
        String otherBuild = "19700101T000000.000Z";
        Path otherClient = compileClient(otherBuild);
        String build = TestClient.buildIdOfTheJar();
        assertEquals(0, jrun("--root", root.toString(), "list").code());
        long first = servers.awaitPid(LONG);
        String expected = run(ONE_SHOT, "--version").out();

        // JRUN_CLIENT_LAUNCHER: the other client is not under runtime/target, where it would find bin/jrun by itself
        ClientCall other = start(Map.of("JRUN_CLIENT_LAUNCHER", JRUN.toString()), List.of(otherClient.toString(), "--version"));
        Command.Result version = other.result(LONG);
        assertEquals(0, version.code(), version.transcript() + "\n--- the server's log:\n" + servers.log());
        assertEquals(expected, version.out());
        assertEquals("", version.err());

        await().atMost(LONG).until(() -> servers.started().size() == 2);
        long second = servers.started().get(1);
        await().atMost(LONG).until(() -> !servers.isRunningServer(first) && !servers.isRunningServer(second));
        String stale = "stopping: stale build: a client of build " + otherBuild + " asked this server of build " + build;
        List<Integer> order = List.of(
                servers.assertLogged("jrun server (pid " + first + "): " + stale),
                servers.assertLogged("jrun-client[" + other.pid() + "]: the server at " + servers.socket() + " is of another build than this client ("
                        + otherBuild + "); it stops, and a new one starts behind this command"),
                servers.assertLogged("jrun server (pid " + second + "): started: socket " + servers.socket() + ", build " + build),
                servers.assertLogged("jrun server (pid " + second + "): " + stale),
                // from its starter, a child of its own
                servers.assertLogged("]: the server just started from " + JRUN + " is of another build than"
                        + " this client (" + otherBuild + "): rebuild, so that runtime/target/jrun.jar and jrun-client match"));
        assertEquals(order.stream().sorted().toList(), order, "in this order: " + servers.log());
        servers.assertLogged("jrun server (pid " + first + "): stopped: stale build");
        servers.assertLogged("jrun server (pid " + second + "): stopped: stale build");

        Command.Result fresh = jrun("--version");
        assertEquals(0, fresh.code(), fresh.transcript());
        assertEquals(expected, fresh.out());
        await().atMost(LONG).until(() -> servers.started().size() == 3);
        long third = servers.started().get(2);
        assertEquals(List.of(first, second, third), servers.started(), servers.log());
        servers.assertLogged("jrun server (pid " + third + "): started: socket " + servers.socket() + ", build " + build);
    }

    @Test
    void aCallerOfAnotherUidDoesNotUseADirectoryThatIsNotItsOwn() throws Exception {
        assertEquals(0, jrun("--root", root.toString(), "list").code());
        long server = servers.awaitPid(LONG);
        String expected = run(ONE_SHOT, "--version").out();
        // uid 65534 may pass through the test's directory to the server's, and see whose it is
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx--x--x"));
        assertEquals("rwx------", permissions(serverDir));
        List<String> nobody = List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", JRUN.toString(), "--version");
        Map<String, String> before = snapshot(serverDir);

        Command.Result closed = start(Map.of(), nobody).result(LONG);
        assertEquals(0, closed.code(), closed.transcript());
        assertEquals(expected, closed.out(), "run one-shot");
        assertEquals(before, snapshot(serverDir), "nothing written in root's directory");

        // Opened as ServerIT opens it to show that the server refuses another uid: a client that used the directory
        // anyway would now reach root's server, which would refuse it and say so in the log.
        Files.setPosixFilePermissions(serverDir, PosixFilePermissions.fromString("rwx--x--x"));
        Files.setPosixFilePermissions(servers.socket(), PosixFilePermissions.fromString("rw-rw-rw-"));
        before = snapshot(serverDir);
        Command.Result open = start(Map.of(), nobody).result(LONG);
        assertEquals(0, open.code(), open.transcript());
        assertEquals(expected, open.out(), "run one-shot");
        assertEquals(before, snapshot(serverDir), "nothing written in root's directory, by the client or by the server: " + servers.log());
        assertEquals(List.of(server), servers.started(), servers.log());
    }

    @Test
    void killingTheServerMidCreateEndsTheClientAndLeavesWhatDeleteForceClears() throws Exception {
        Path spec = Bundles.spec(bundle, "halted", "echo never", "");
        containers.add("halted");
        assertEquals(0, jrun("--root", root.toString(), "list").code()); // one-shot; the server it starts takes the create
        servers.awaitPid(LONG);
        servers.awaitStartsSettled();
        ClientCall create = startJrun(Map.of("JRUN_FAULT_STOP", "network"), "--root", root.toString(), "create", spec.toString());
        await().atMost(LONG).until(() -> create.err().contains("jrun: fault injection: stopped at network") || !create.process().isAlive());
        assertTrue(create.process().isAlive(), create.transcript());
        long server = servers.awaitPid(LONG);
        JsonNode recorded = new ObjectMapper().readTree(Files.readString(root.resolve("halted").resolve("state.json")));
        long init = recorded.get("pid").asLong();
        long initStart = recorded.get("pidStartTime").asLong();
        assertTrue(init > 0 && ProcStat.isSameProcess(init, initStart), "the init was cloned: " + recorded);
        assertEquals(server, recorded.get("creatorPid").asLong(), "the server is the creator");
        List<Long> children = ProcFacts.childrenOf(create.pid());
        assertEquals(1, children.size(), "the client's one child, the helper it spawned: " + children);
        long helper = children.getFirst();
        // read while it may be a zombie (the helper exits once it has cloned the init): it names that process for good
        long helperStart = ProcFacts.statField(helper, ProcFacts.START_TIME).orElseThrow();

        assertTrue(servers.isRunningServer(server), ProcFacts.commandLine(server).toString());
        ProcessHandle.of(server).orElseThrow().destroyForcibly();
        assertEquals(1, create.exitWithin(LONG), create.transcript());
        assertTrue(create.err().contains("jrun: the jrun server ended during the request (see " + servers.logFile() + ")"),
                create.transcript());
        await().atMost(LONG).until(() -> ProcFacts.statField(helper, ProcFacts.START_TIME).orElse(-1) != helperStart);
        assertTrue(Files.exists(servers.socket()), "a killed server cannot remove its socket");

        Command.Result delete = run(ONE_SHOT, "--root", root.toString(), "delete", "--force", "halted");
        assertEquals(0, delete.code(), delete.transcript());
        Command.Result state = run(ONE_SHOT, "--root", root.toString(), "state", "halted");
        assertEquals(1, state.code(), state.transcript());
        assertTrue(state.err().contains("container \"halted\" does not exist"), state.transcript());
        await().atMost(LONG).until(() -> !ProcStat.isSameProcess(init, initStart));
        assertEquals(List.of(), entries(root));

        Command.Result next = jrun("--root", root.toString(), "list");
        assertEquals(0, next.code(), next.transcript());
        await().atMost(LONG).until(() -> servers.pidFromFile().orElse(server) != server);
        assertEquals(2, servers.started().size(), servers.log());
    }

    @Test
    void killingTheServerMidExecEndsTheClientKillsItsHelperAndLeavesWhatDeleteForceClears() throws Exception {
        Path spec = Bundles.spec(bundle, "exec-target", "sleep 1000", "");
        containers.add("exec-target");
        assertEquals(0, jrun("--root", root.toString(), "list").code()); // one-shot; the server it starts takes the rest
        long server = servers.awaitPid(LONG);
        servers.awaitStartsSettled();
        Command.Result create = jrun("--root", root.toString(), "create", spec.toString());
        assertEquals(0, create.code(), create.transcript());
        assertEquals(0, jrun("--root", root.toString(), "start", "exec-target").code());

        ClientCall exec = startJrun(Map.of(), "--root", root.toString(), "exec", "exec-target", "sleep", "1001");
        // client → its helper (jrun-init, spawned on the server's SPAWN) → the exec'd process, forked into the container
        long helper = await().atMost(LONG).until(() -> ProcFacts.childrenOf(exec.pid()), c -> c.size() == 1).getFirst();
        long helperStart = ProcFacts.statField(helper, ProcFacts.START_TIME).orElseThrow();
        long sleeper = await().atMost(LONG).until(() -> ProcFacts.childrenOf(helper).stream()
                .filter(pid -> ProcFacts.commandLine(pid).equals(List.of("sleep", "1001"))).findFirst(), Optional::isPresent).get();
        long sleeperStart = ProcFacts.statField(sleeper, ProcFacts.START_TIME).orElseThrow();
        assertEquals(server, servers.pidFromFile().orElseThrow(), "served by the server: " + servers.log());

        assertTrue(servers.isRunningServer(server), ProcFacts.commandLine(server).toString());
        ProcessHandle.of(server).orElseThrow().destroyForcibly();
        assertEquals(1, exec.exitWithin(LONG), exec.transcript());
        assertTrue(exec.err().contains("jrun: the jrun server ended during the request (see " + servers.logFile() + ")"), exec.transcript());
        await().atMost(LONG).until(() -> ProcFacts.statField(helper, ProcFacts.START_TIME).orElse(-1) != helperStart);

        Command.Result delete = run(ONE_SHOT, "--root", root.toString(), "delete", "--force", "exec-target");
        assertEquals(0, delete.code(), delete.transcript());
        await().atMost(LONG).until(() -> ProcFacts.statField(sleeper, ProcFacts.START_TIME).orElse(-1) != sleeperStart);
        assertEquals(List.of(), entries(root));
    }

    @Test
    void aSubreaperCallerAdoptsAndReapsTheInitWhenAServerAlreadyRuns() throws Exception {
        assertEquals(0, jrun("--root", root.toString(), "list").code()); // a server of an earlier caller's
        long server = servers.awaitPid(LONG);
        createStartDeleteUnderASubreaper(Map.of(), "adopted");
        assertEquals(List.of(server), servers.started(), "served by the running server: " + servers.log());
    }

    @Test
    void aSubreaperCallerAdoptsAndReapsTheInitOneShotToo() throws Exception {
        createStartDeleteUnderASubreaper(ONE_SHOT, "adopted-one-shot");
        assertFalse(Files.exists(serverDir), "no server");
    }

    /**
     * subreaper_caller.py, a child subreaper as conmon and containerd's shim are, runs `create`: once it has exited,
     * the init (whose helper exited after cloning it) must have been reparented to that caller, never to a server.
     * The container's `exit 7`, once started, is then the status the caller reaps.
     */
    private void createStartDeleteUnderASubreaper(Map<String, String> mode, String id) throws Exception {
        Path spec = Bundles.spec(bundle, id, "exit 7", "");
        containers.add(id);
        Path report = work.resolve(id + ".report");
        Path pidFile = work.resolve(id + ".pid");
        ClientCall caller = start(mode, List.of(TestClient.python(), resource("subreaper_caller.py").toString(), report.toString(),
                pidFile.toString(), "--", JRUN.toString(), "--root", root.toString(), "create", "--pid-file", pidFile.toString(), spec.toString()));
        await().atMost(LONG).until(() -> reported(report, "init ") || reported(report, "no-init") || !caller.process().isAlive());
        String transcript = caller.transcript(report);
        List<String> events = Files.readAllLines(report);
        assertEquals("created 0", events.getFirst(), transcript);
        long init = Long.parseLong(Files.readString(pidFile).strip());
        assertEquals(List.of("subreaper " + caller.pid(), "init " + init + " ppid " + caller.pid()), events.subList(1, 3),
                "the init's parent is the subreaper caller: " + transcript);

        Command.Result start = run(mode, "--root", root.toString(), "start", id);
        assertEquals(0, start.code(), start.transcript());
        assertEquals(0, caller.exitWithin(LONG), caller.transcript(report));
        assertTrue(Files.readAllLines(report).contains("reaped " + init + " status 7"), caller.transcript(report));
        assertEquals("stopped", status(mode, id));

        Command.Result delete = run(mode, "--root", root.toString(), "delete", id);
        assertEquals(0, delete.code(), delete.transcript());
        assertEquals("absent", status(mode, id));
    }

    /**
     * The server is nobody's child, so nothing of the caller that happened to start it may stay with it: an ignored
     * signal survives exec (a script's {@code jrun … &} ignores SIGINT and SIGQUIT, nohup SIGHUP), and a server that
     * ignored SIGTERM would never stop on it (docs/server.md). The client resets every disposition and the mask.
     */
    @Test
    void theServerDoesNotKeepItsFirstCallersIgnoredSignals() throws Exception {
        String ignoreTermAndExec = "import os, signal, sys; signal.signal(signal.SIGTERM, signal.SIG_IGN); os.execv(sys.argv[1], sys.argv[1:])";
        Command.Result listed = start(Map.of(), List.of(TestClient.python(), "-c", ignoreTermAndExec, JRUN.toString(),
                "--root", root.toString(), "list")).result(LONG);
        assertEquals(0, listed.code(), listed.transcript());
        long server = servers.awaitPid(LONG);
        long startTime = ProcStat.startTime(server).orElseThrow();
        long ignored = ProcFacts.signalSet(server, "SigIgn").orElseThrow();
        assertEquals(0, ignored & 1L << (15 - 1), "SIGTERM ignored in the server: SigIgn " + Long.toHexString(ignored));

        ProcessHandle.of(server).orElseThrow().destroy(); // SIGTERM
        await().atMost(LONG).until(() -> !ProcStat.isSameProcess(server, startTime));
        servers.assertLogged("jrun server (pid " + server + "): stopped by a signal");
    }

    @Test
    void noServerAndServerOffRunOneShotWithoutTouchingTheServerDirectory() throws Exception {
        Files.createDirectory(serverDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        List<Command.Result> results = List.of(
                jrun("--no-server", "--root", root.toString(), "list"),
                jrun("--root", root.toString(), "--no-server", "list"),
                run(ONE_SHOT, "--root", root.toString(), "list"));
        for (Command.Result result : results) {
            assertEquals(0, result.code(), result.transcript());
            assertTrue(result.out().startsWith("ID "), result.transcript());
        }
        assertEquals(List.of(), entries(serverDir), "no socket, pid file, lock or log");
    }

    // ---- the calls ------------------------------------------------------------------------------

    /** What every call gets: the client on, this test's server directory, an idle limit. */
    private Map<String, String> clientEnvironment() {
        return Map.of("JRUN_SERVER", "on", "JRUN_SERVER_DIR", serverDir.toString(), "JRUN_SERVER_IDLE", IDLE_SECONDS);
    }

    /** command in the background from /, with the client's environment and env over it. */
    private ClientCall start(Map<String, String> env, List<String> command) throws IOException {
        Path out = Files.createTempFile(work, "call-", ".out");
        Path err = Files.createTempFile(work, "call-", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).directory(new File("/"))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(clientEnvironment());
        builder.environment().putAll(env);
        ClientCall call = new ClientCall(builder.start(), out, err);
        calls.add(call);
        return call;
    }

    private ClientCall startJrun(Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(JRUN.toString()));
        command.addAll(List.of(args));
        return start(env, command);
    }

    private Command.Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        return startJrun(env, args).result(LONG);
    }

    private Command.Result jrun(String... args) throws IOException, InterruptedException {
        return run(Map.of(), args);
    }

    /** The status `state` reports in this mode, or "absent". */
    private String status(Map<String, String> mode, String id) throws IOException, InterruptedException {
        Command.Result state = run(mode, "--root", root.toString(), "state", id);
        return state.code() == 0 ? new ObjectMapper().readTree(state.out()).get("status").asText() : "absent";
    }

    // ---- small things ------------------------------------------------------------------------------

    /** runtime/target/jrun-client's source compiled with another build id, into this test's directory. */
    private Path compileClient(String buildId) throws IOException, InterruptedException {
        boolean gcc = Stream.of(System.getenv().getOrDefault("PATH", "").split(":")).anyMatch(dir -> Files.isExecutable(Path.of(dir, "gcc")));
        assumeTrue(gcc, "gcc is needed to build a client of another build");
        Path client = Files.createDirectory(work.resolve("other-build")).resolve("jrun-client");
        Command.of("gcc", "-static", "-O2", "-DJRUN_BUILD_ID=\"" + buildId + "\"", "-o", client.toString(),
                JrunProcess.REPO.resolve("runtime/src/main/c/client/jrun-client.c").toString()).check(LONG);
        return client;
    }

    private static Path resource(String name) {
        try {
            return Path.of(ClientServerIT.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean reported(Path report, String prefix) throws IOException {
        return Files.exists(report) && Files.readAllLines(report).stream().anyMatch(line -> line.startsWith(prefix));
    }

    private static List<String> entries(Path dir) throws IOException {
        try (Stream<Path> listed = Files.list(dir)) {
            return listed.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Each entry's size, mode and modification time: what any write would change. */
    private static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> entries = new TreeMap<>();
        for (String name : entries(dir)) {
            Path p = dir.resolve(name);
            entries.put(name, Files.size(p) + " " + permissions(p) + " " + Files.getLastModifiedTime(p));
        }
        return entries;
    }

    private static String permissions(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
