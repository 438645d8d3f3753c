package dev.jrun.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jrun.lifecycle.Bundles;
import dev.jrun.lifecycle.JrunProcess;
import dev.jrun.sys.FileDescriptors;
import dev.jrun.sys.ProcStat;
import dev.jrun.sys.UnixSockets;
import dev.jrun.testing.Command;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warm server on the real kernel (root required): `bin/jrun server` and the test client of docs/server.md
 * (test_client.py), real containers from a busybox bundle. What the caller sees must be what a one-shot jrun
 * shows, and the container's init must descend from the client, never from the server.
 */
class ServerIT {
    private static final Duration LONG = Duration.ofSeconds(60);

    @TempDir
    static Path shared;

    static Path bundle;

    @TempDir
    Path work;

    Path root;
    Path serverDir;
    JrunProcess oneShot;
    final List<ServerProcess> servers = new ArrayList<>();
    final List<TestClient.Background> clients = new ArrayList<>();

    @BeforeAll
    static void rootfs() throws Exception {
        bundle = Bundles.busyboxBundle(shared);
    }

    @BeforeEach
    void roots() {
        root = work.resolve("root");
        serverDir = work.resolve("server");
        oneShot = JrunProcess.withRoot(root);
    }

    @AfterEach
    void nothingLeftBehind() throws Exception {
        for (TestClient.Background client : clients) {
            client.end();
        }
        for (String id : oneShot.run("list", "-q").out().lines().toList()) {
            oneShot.run("delete", "--force", id);
        }
        for (ServerProcess server : servers) {
            server.stop();
        }
        if (Files.isDirectory(root)) {
            try (var left = Files.list(root)) {
                assertEquals(List.of(), left.map(p -> p.getFileName().toString()).toList(), "state left in " + root);
            }
        }
        if (Files.isDirectory(serverDir)) {
            try (var left = Files.list(serverDir)) {
                assertEquals(List.of(ServerLog.FILE), left.map(p -> p.getFileName().toString()).toList(),
                        "a stopped server leaves only its log in " + serverDir);
            }
        }
    }

    private ServerProcess server(int idleTimeoutSeconds) throws IOException {
        ServerProcess server = ServerProcess.start(serverDir, work, idleTimeoutSeconds);
        servers.add(server);
        return server;
    }

    private TestClient.Background background(TestClient client, Map<String, String> env, List<String> options, String... argv)
            throws IOException {
        TestClient.Background started = client.start(work, env, options, argv);
        clients.add(started);
        return started;
    }

    private static JsonNode json(String text) throws IOException {
        return new ObjectMapper().readTree(text);
    }

    @Test
    void versionAndAnUnknownContainerAreAnsweredOnTheCallersDescriptors() throws Exception {
        TestClient client = TestClient.of(server(300).socket());

        Command.Result version = client.run("--version");
        assertEquals(0, version.code(), version.transcript());
        assertTrue(version.out().startsWith("jrun version "), version.transcript());
        assertEquals("", version.err());

        Command.Result missing = client.run("--root", root.toString(), "state", "nosuch");
        JrunProcess.Result expected = oneShot.run("state", "nosuch");
        assertEquals(1, missing.code(), missing.transcript());
        assertEquals(expected.code(), missing.code());
        assertEquals(expected.out(), missing.out());
        assertEquals(expected.err(), missing.err());
        assertEquals("jrun: state: container \"nosuch\" does not exist (see `jrun list`)\n", missing.err());
    }

    @Test
    void pathsResolveAgainstTheClientsWorkingDirectory() throws Exception {
        TestClient client = TestClient.of(server(300).socket());
        Path callerDir = Files.createDirectory(work.resolve("caller"));
        Command.Result spec = client.runIn(callerDir, "spec", "--output", "written.json");
        assertEquals(0, spec.code(), spec.transcript());
        assertTrue(Files.isRegularFile(callerDir.resolve("written.json")), "written in the caller's directory, not the server's");
        // picocli's default values go through the same resolution: spec's --bundle defaults to "."
        Command.Result byDefault = client.runIn(callerDir, "spec");
        assertEquals(0, byDefault.code(), byDefault.transcript());
        assertTrue(Files.isRegularFile(callerDir.resolve("config.json")), "the default bundle is the caller's directory");
    }

    @Test
    void aRootlessSpecMapsTheCallersIdsNotTheServers() throws Exception {
        TestClient client = TestClient.of(server(300).socket());
        // Same uid (the server serves no other), another gid: what the caller is, from SO_PEERCRED.
        TestClient otherGroup = client.through(List.of("setpriv", "--regid=4242", "--clear-groups", TestClient.python()), client.script());
        Command.Result spec = Command.of(otherGroup.command(List.of(), List.of("spec", "--rootless", "--output", "-"))).run(LONG);
        assertEquals(0, spec.code(), spec.transcript());
        JsonNode linux = json(spec.out()).get("linux");
        assertEquals(4242, linux.get("gidMappings").get(0).get("hostID").asLong(), spec.out());
        assertEquals(0, linux.get("uidMappings").get(0).get("hostID").asLong(), spec.out());
        Command.Result oneShotSpec = Command.of("setpriv", "--regid=4242", "--clear-groups", JrunProcess.REPO.resolve("bin/jrun").toString(),
                "spec", "--rootless", "--output", "-").run(LONG);
        assertEquals(oneShotSpec.out(), spec.out(), "the same spec as a one-shot jrun of that caller writes");
    }

    @Test
    void createStartDeleteWithTheInitDescendingFromTheClient() throws Exception {
        ServerProcess server = server(300);
        TestClient client = TestClient.of(server.socket());
        Path spec = Bundles.spec(bundle, "lineage", "echo started", "");

        // A subreaper client, as conmon and containerd's shim are: once the helper has cloned the init and exited,
        // the init is reparented to the closest subreaper among its ancestors. That must be the client.
        TestClient.Background create = background(client, Map.of(), List.of("--subreaper", "--hold"),
                "--root", root.toString(), "create", spec.toString());
        await().atMost(LONG).until(() -> create.reported("holding") || !create.process().isAlive());
        assertTrue(create.reported("exit 0"), create.transcript());
        String transcript = create.transcript();
        long helperPid = Long.parseLong(create.events().stream().filter(e -> e.startsWith("spawned ")).findFirst()
                .orElseThrow(() -> new AssertionError("the client spawned no helper:\n" + transcript)).substring(8));
        assertTrue(helperPid > 0, "jrun-init was spawned by the client itself: " + transcript);

        Command.Result state = client.run("--root", root.toString(), "state", "lineage");
        assertEquals(0, state.code(), state.transcript());
        assertEquals("created", json(state.out()).get("status").asText());
        long init = json(state.out()).get("pid").asLong();
        assertEquals(OptionalLong.of(create.pid()), ProcFacts.parentOf(init), "the init's parent is the client that asked for it");
        List<Long> ancestors = ProcFacts.ancestorsOf(init);
        assertTrue(ancestors.contains(create.pid()), "ancestors " + ancestors);
        assertFalse(ancestors.contains(server.pid()), "the server (pid " + server.pid() + ") is no ancestor: " + ancestors);

        Command.Result start = client.run("--root", root.toString(), "start", "lineage");
        assertEquals(0, start.code(), start.transcript());
        // The container writes on the caller's stdout: the descriptors went from the client to the helper to it.
        await().atMost(LONG).until(() -> create.out().contains("started"));
        await().atMost(LONG).until(() -> json(client.run("--root", root.toString(), "state", "lineage").out())
                .get("status").asText().equals("stopped"));

        Command.Result delete = client.run("--root", root.toString(), "delete", "lineage");
        assertEquals(0, delete.code(), delete.transcript());
        assertEquals(1, client.run("--root", root.toString(), "state", "lineage").code());
        assertEquals("", oneShot.run("list", "-q").out());
    }

    @Test
    void runWaitsThroughTheClientAndItsSignalsReachTheContainer() throws Exception {
        TestClient client = TestClient.of(server(300).socket());
        Path spec = Bundles.spec(bundle, "relay", "trap 'echo got TERM; exit 3' TERM; echo ready; while true; do sleep 0.1; done", "");

        TestClient.Background run = background(client, Map.of(), List.of(), "--root", root.toString(), "run", spec.toString());
        await().atMost(LONG).until(() -> run.out().contains("ready") && run.reported("wait -1 "));
        String relayed = run.events().stream().filter(e -> e.startsWith("wait -1 ")).findFirst().orElseThrow().substring(8);
        assertEquals(dev.jrun.sys.Signals.RELAYED_TO_FOREGROUND.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(",")),
                relayed, "the planner's relayed signals");

        run.process().destroy(); // SIGTERM to the client, by its pid: the client passes it on
        assertEquals(3, run.exitWithin(LONG), run.transcript());
        assertTrue(run.out().contains("got TERM"), run.transcript());
        assertEquals("", oneShot.run("list", "-q").out(), "run deletes its container");
    }

    @Test
    void requestsWaitingForTheirClientsHoldNoCarrierThread() throws Exception {
        // More requests waiting (WAIT -1, for containers that run until released) than the JVM has carrier threads
        // for virtual threads (one per core): the server must still answer.
        TestClient client = TestClient.of(server(300).socket());
        String marker = "release-" + UUID.randomUUID();
        Path release = bundle.resolve("rootfs").resolve(marker);
        int waiting = Runtime.getRuntime().availableProcessors() + 1;
        try {
            List<TestClient.Background> runs = new ArrayList<>();
            for (int i = 0; i < waiting; i++) {
                Path spec = Bundles.spec(bundle, "waiter" + i, "while [ ! -e /" + marker + " ]; do sleep 0.1; done", "");
                runs.add(background(client, Map.of(), List.of(), "--root", root.toString(), "run", spec.toString()));
            }
            for (TestClient.Background run : runs) {
                await().atMost(LONG).until(() -> run.reported("wait -1") || !run.process().isAlive());
                assertTrue(run.process().isAlive(), run.transcript());
            }
            Command.Result listed = client.run("--root", root.toString(), "list", "-q");
            assertEquals(0, listed.code(), listed.transcript());
            assertEquals(waiting, listed.out().lines().count(), listed.out());

            Files.writeString(release, "");
            for (TestClient.Background run : runs) {
                assertEquals(0, run.exitWithin(LONG), run.transcript());
            }
        } finally {
            Files.deleteIfExists(release);
        }
    }

    @Test
    void aMalformedFirstFrameIsLoggedAndTheConnectionClosed() throws Exception {
        ServerProcess server = server(300);
        int fd = UnixSockets.connect(server.socket());
        try {
            // length 1, type 'z': no such frame; with the three descriptors a REQUEST would carry
            UnixSockets.sendAll(fd, new byte[] {1, 0, 0, 0, 'z'}, 0, 1, 2);
            Optional<UnixSockets.Received> answer = UnixSockets.receive(fd, 64, 0, false);
            assertTrue(answer.isPresent() && answer.get().endOfStream(), "closed without an answer: " + answer);
        } finally {
            FileDescriptors.close(fd);
        }
        await().atMost(LONG).until(() -> server.log().contains("protocol error with client pid " + ProcessHandle.current().pid()
                + ": unknown frame type 'z'"));
        assertEquals(0, TestClient.of(server.socket()).run("--version").code(), "the server goes on");
    }

    @Test
    void aPeerOfAnotherUidIsRefused() throws Exception {
        ServerProcess server = server(300);
        // Let uid 65534 reach the socket at all (the directory is 0700 and the socket 0600): the check under test is the server's.
        Files.setPosixFilePermissions(serverDir, PosixFilePermissions.fromString("rwx--x--x"));
        Files.setPosixFilePermissions(server.socket(), PosixFilePermissions.fromString("rw-rw-rw-"));
        Path scripts = Bundles.searchable(Files.createDirectory(work.resolve("scripts")));
        Bundles.searchable(work);
        Path script = Files.copy(TestClient.bundledScript(), scripts.resolve("test_client.py"), StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));
        String python = TestClient.python();
        TestClient nobody = TestClient.of(server.socket())
                .through(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", python), script);

        Command.Result refused = Command.of(nobody.command(List.of("--cwd", "/"), List.of("--root", root.toString(), "list")))
                .in(Path.of("/")).run(LONG);
        assertEquals(1, refused.code(), refused.transcript());
        assertEquals("", refused.out());
        assertTrue(refused.err().contains("serves uid 0 only, and you are uid 65534"), refused.transcript());
        assertTrue(server.log().contains("refused peer"), server.log());
        assertTrue(server.log().contains("uid 65534"), server.log());

        assertEquals(0, TestClient.of(server.socket()).run("--version").code(), "the server goes on serving its own uid");
    }

    @Test
    void aPeerInAnotherPidNamespaceIsRefused() throws Exception {
        ServerProcess server = server(300);
        // The same uid, through a throwaway pid (and mount) namespace: its pids would mean other processes here.
        TestClient sandboxed = TestClient.of(server.socket())
                .through(List.of("unshare", "--fork", "--pid", "--mount-proc", TestClient.python()), TestClient.bundledScript());

        Command.Result refused = sandboxed.run("--root", root.toString(), "list");
        assertEquals(1, refused.code(), refused.transcript());
        assertTrue(refused.err().contains("runs in other pid, mnt namespace(s) than you"), refused.transcript());
        assertTrue(server.log().contains("its pid, mnt namespace(s) are not this server's"), server.log());
        assertEquals(0, TestClient.of(server.socket()).run("--version").code(), "the server goes on serving its own namespaces");
    }

    @Test
    void aClientOfAnotherBuildStopsTheServerOnceTheRequestsInFlightHaveFinished() throws Exception {
        ServerProcess server = server(300);
        TestClient client = TestClient.of(server.socket());
        String marker = "release-" + UUID.randomUUID();
        Path release = bundle.resolve("rootfs").resolve(marker);
        Path spec = Bundles.spec(bundle, "inflight", "echo waiting; while [ ! -e /" + marker + " ]; do sleep 0.1; done; echo released", "");
        try {
            TestClient.Background inFlight = background(client, Map.of(), List.of(), "--root", root.toString(), "run", spec.toString());
            await().atMost(LONG).until(() -> inFlight.out().contains("waiting") && inFlight.reported("wait -1"));

            TestClient.Background stale = background(client.withBuildId("19700101000000000"), Map.of(), List.of(), "--version");
            assertEquals(75, stale.exitWithin(LONG), "STALE: " + stale.transcript());
            assertTrue(stale.reported("stale"));
            assertFalse(Files.exists(server.socket()), "the socket goes at once, so the next client starts a new server");
            assertTrue(server.log().contains("stale build: a client of build 19700101000000000"), server.log());
            assertTrue(server.isAlive(), "the request in flight is finished first");

            Files.writeString(release, "");
            assertEquals(0, inFlight.exitWithin(LONG), inFlight.transcript());
            assertTrue(inFlight.out().contains("released"));
            assertEquals(0, server.awaitExit(LONG));
            assertTrue(server.log().contains("stopped: stale build"), server.log());
        } finally {
            Files.deleteIfExists(release);
        }
    }

    @Test
    void aServerWhoseJarIsRewrittenAnswersStaleAndStops() throws Exception {
        Path jar = Files.copy(JrunProcess.REPO.resolve("runtime/target/jrun.jar"), work.resolve("jrun.jar"));
        ServerProcess server = ServerProcess.startFromJar(jar, serverDir, work, 300);
        servers.add(server);
        TestClient client = TestClient.of(server.socket());
        assertEquals(0, client.run("--version").code());

        // A rebuild rewrites the jar in place (same inode): a server reading classes from it now would read garbage.
        Files.write(jar, Files.readAllBytes(jar), StandardOpenOption.TRUNCATE_EXISTING);
        Files.setLastModifiedTime(jar, FileTime.from(Files.getLastModifiedTime(jar).toInstant().plusSeconds(1)));
        TestClient.Background stale = background(client, Map.of(), List.of(), "--version");
        assertEquals(75, stale.exitWithin(LONG), "STALE: " + stale.transcript());
        assertEquals(0, server.awaitExit(LONG));
        assertTrue(server.log().contains("stale jar: " + jar + " changed since this server started"), server.log());
    }

    @Test
    void anIdleServerExits() throws Exception {
        ServerProcess server = server(2);
        assertEquals(0, TestClient.of(server.socket()).run("--version").code());
        assertEquals(server.pid() + "\n", Files.readString(serverDir.resolve(Server.PID_FILE)), "the pid file names the server");
        assertEquals(0, server.awaitExit(Duration.ofSeconds(30)));
        assertFalse(Files.exists(server.socket()));
        assertFalse(Files.exists(serverDir.resolve(Server.PID_FILE)), "the pid file goes with the server");
        assertTrue(server.log().contains("stopping: idle for 2 s"), server.log());
    }

    @Test
    void concurrentRequestsOnDifferentIdsAndOnOneId() throws Exception {
        TestClient client = TestClient.of(server(300).socket());
        Path first = Bundles.spec(bundle, "first", "echo first", "");
        Path second = Bundles.spec(bundle, "second", "echo second", "");
        Path twin = Bundles.spec(bundle, "twin", "echo twin", "");

        List<TestClient.Background> creates = List.of(
                background(client, Map.of(), List.of(), "--root", root.toString(), "create", first.toString()),
                background(client, Map.of(), List.of(), "--root", root.toString(), "create", second.toString()),
                background(client, Map.of(), List.of(), "--root", root.toString(), "create", twin.toString()),
                background(client, Map.of(), List.of(), "--root", root.toString(), "create", twin.toString()));
        List<Integer> codes = new ArrayList<>();
        for (TestClient.Background create : creates) {
            codes.add(create.exitWithin(LONG));
        }
        assertEquals(0, codes.get(0), creates.get(0).transcript());
        assertEquals(0, codes.get(1), creates.get(1).transcript());
        assertEquals(List.of(0, 1), codes.subList(2, 4).stream().sorted().toList(), "one create of the twin wins");
        TestClient.Background loser = codes.get(2) == 1 ? creates.get(2) : creates.get(3);
        assertTrue(loser.err().contains("container \"twin\" already exists"), loser.transcript());
        assertEquals(List.of("first", "second", "twin"), oneShot.run("list", "-q").out().lines().toList());
        for (String id : List.of("first", "second", "twin")) {
            assertEquals("created", oneShot.status(id));
        }

        List<TestClient.Background> deletes = List.of(
                background(client, Map.of(), List.of(), "--root", root.toString(), "delete", "--force", "first"),
                background(client, Map.of(), List.of(), "--root", root.toString(), "delete", "--force", "second"),
                background(client, Map.of(), List.of(), "--root", root.toString(), "delete", "--force", "twin"),
                background(client, Map.of(), List.of(), "--root", root.toString(), "delete", "--force", "twin"));
        for (TestClient.Background delete : deletes) {
            assertEquals(0, delete.exitWithin(LONG), delete.transcript());
        }
        assertEquals("", oneShot.run("list", "-q").out());
    }

    @Test
    void killingTheServerMidRequestLeavesWhatAOneShotDeleteForceClears() throws Exception {
        ServerProcess server = server(300);
        TestClient client = TestClient.of(server.socket());
        Path spec = Bundles.spec(bundle, "halted", "echo never", "");

        // The client passes JRUN_* variables on: create stops in the server at the network stage, init cloned and recorded.
        TestClient.Background create = background(client, Map.of("JRUN_FAULT_STOP", "network"), List.of(),
                "--root", root.toString(), "create", spec.toString());
        await().atMost(LONG).until(() -> create.err().contains("fault injection: stopped at network"));
        JsonNode recorded = json(Files.readString(root.resolve("halted").resolve("state.json")));
        long init = recorded.get("pid").asLong();
        long initStart = recorded.get("pidStartTime").asLong();
        assertTrue(init > 0 && ProcStat.isSameProcess(init, initStart), "the init was cloned: " + recorded);
        assertEquals(server.pid(), recorded.get("creatorPid").asLong(), "the server is the creator");
        assertEquals("creating", oneShot.status("halted"));

        // The server's request holds the id's lock: a one-shot process waits for it, as it would for another one-shot.
        Path deleteOut = Files.createTempFile(work, "delete-", ".out");
        Process delete = new ProcessBuilder(JrunProcess.REPO.resolve("bin/jrun").toString(), "--root", root.toString(),
                "delete", "--force", "halted").redirectErrorStream(true).redirectOutput(deleteOut.toFile()).start();
        try {
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(delete::isAlive);

            server.kill();
            assertEquals(1, create.exitWithin(LONG), create.transcript());
            assertTrue(create.err().contains("jrun: the jrun server ended during the request"), create.transcript());
            assertTrue(create.reported("lost"));

            // The lock went with the server: the waiting delete goes on and clears what the interrupted create left.
            assertTrue(delete.waitFor(LONG.toSeconds(), java.util.concurrent.TimeUnit.SECONDS), Files.readString(deleteOut));
            assertEquals(0, delete.exitValue(), Files.readString(deleteOut));
        } finally {
            delete.destroyForcibly();
        }
        assertEquals("absent", oneShot.status("halted"));
        await().atMost(LONG).until(() -> !ProcStat.isSameProcess(init, initStart));

        // SIGKILL left its socket file behind; the next server finds nobody answering on it and takes its place.
        assertTrue(Files.exists(server.socket()), "a killed server cannot remove its socket");
        ServerProcess next = server(300);
        assertTrue(next.log().contains("replaced a stale socket"), next.log());
        assertEquals(0, TestClient.of(next.socket()).run("--version").code());
    }

    @Test
    void aClientKilledMidCreateMakesTheServerUnwindTheCreateAndFreeTheId() throws Exception {
        ServerProcess server = server(300);
        TestClient client = TestClient.of(server.socket());
        Path spec = Bundles.spec(bundle, "abandoned", "echo never", "");

        TestClient.Background create = background(client, Map.of("JRUN_FAULT_STOP", "network"), List.of(),
                "--root", root.toString(), "create", spec.toString());
        await().atMost(LONG).until(() -> create.err().contains("fault injection: stopped at network"));
        JsonNode recorded = json(Files.readString(root.resolve("abandoned").resolve("state.json")));
        long init = recorded.get("pid").asLong();
        long initStart = recorded.get("pidStartTime").asLong();

        // As a tool that gives up on a runtime would: SIGKILL to the exact client. A one-shot jrun would die with it;
        // the server, which outlives its clients, must not go on holding the id and the init for nobody.
        create.end();
        await().atMost(LONG).until(() -> server.log().contains("went away during"));
        await().atMost(LONG).until(() -> !ProcStat.isSameProcess(init, initStart));
        await().atMost(LONG).until(() -> "absent".equals(oneShot.status("abandoned")));
        assertTrue(server.isAlive());

        // The id's lock went with the request: the same id is free at once.
        Command.Result again = client.run("--root", root.toString(), "create", spec.toString());
        assertEquals(0, again.code(), again.transcript());
        assertEquals("created", oneShot.status("abandoned"));
    }
}
