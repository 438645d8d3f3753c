package dev.jrun.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the init protocol (docs/init-protocol.md, version 2) promises, on real containers through bin/jrun:
 * sessions, `start` returning after the exec, no init left behind by a killed `create`, limits refused
 * with the spec's pointer, and start's errors worded once.
 */
class InitProtocolIT extends BusyboxContainerTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void nothingLeftBehind() throws Exception {
        for (Process process : started) {
            process.destroyForcibly(); // exact pids this test started
            process.waitFor(10, TimeUnit.SECONDS);
        }
        for (String id : jrun().run("list", "-q").out().lines().toList()) {
            jrun().run("delete", "--force", id);
        }
    }

    @Test
    void theInitLeadsItsOwnSession() throws Exception {
        Path spec = Bundles.spec(bundle, "session", "echo never", "");
        JrunProcess.Result create = jrun().run("create", spec.toString());
        assertEquals(0, create.code(), create.err());
        long init = pidOf("session");
        assertEquals(init, stat(init).session(), "session");
        assertEquals(init, stat(init).processGroup(), "process group");
        // `jrun create` ran in this test's session; the init left it.
        assertNotEquals(stat(ProcessHandle.current().pid()).session(), stat(init).session());
    }

    /** `jrun run`: the helper, which relays signals, leaves jrun's session and group, so a terminal's Ctrl-C reaches jrun alone. */
    @Test
    void inForegroundTheHelperLeavesJrunsSession() throws Exception {
        Path stop = bundle.resolve("rootfs/tmp/stop-foreground");
        Files.deleteIfExists(stop);
        Path spec = Bundles.spec(bundle, "foreground", "while [ ! -e /tmp/stop-foreground ]; do sleep 0.1; done", "");
        Process run = startJrun("run", spec.toString());
        await().atMost(PATIENCE).until(() -> "running".equals(jrun().status("foreground")));
        long init = pidOf("foreground");
        long helper = stat(init).parent();
        assertEquals(helper, stat(helper).session(), "the helper leads a session");
        assertEquals(helper, stat(helper).processGroup(), "and its process group");
        assertEquals(run.pid(), stat(helper).parent(), "the helper is still jrun's child, waiting for the init");
        assertNotEquals(stat(run.pid()).session(), stat(helper).session(), "not jrun's session");
        assertNotEquals(stat(run.pid()).processGroup(), stat(helper).processGroup(), "not jrun's process group");
        assertEquals(init, stat(init).session(), "the init leads its own session too");
        Files.writeString(stop, "");
        assertTrue(run.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        assertEquals(0, run.exitValue());
        Files.deleteIfExists(stop);
    }

    @Test
    void startReturnsOnceTheContainersProgramRuns() throws Exception {
        Path spec = Bundles.spec(bundle, "execd", "while true; do sleep 1; done", "");
        assertEquals(0, jrun().run("create", spec.toString()).code());
        long init = pidOf("execd");
        assertEquals("/memfd:jrun-init (deleted)", exe(init), "jrun-init runs from its sealed memfd copy (docs/security.md)");
        JrunProcess.Result start = jrun().run("start", "execd");
        assertEquals(0, start.code(), start.err());
        // No waiting: start returned after the init's execve (busybox's sh), not after a mere answer.
        assertTrue(exe(init).endsWith("busybox"), exe(init));
    }

    /**
     * Killed while the init waits for the acknowledgement of `ready` (the pid file is a FIFO nobody reads,
     * so create blocks writing it, after the state says created, before it acknowledges): the init reads
     * end of file and exits instead of waiting for a start that no state owns.
     */
    @Test
    void aCreateKilledBeforeItAcknowledgesReadyLeavesNoInit() throws Exception {
        Path spec = Bundles.spec(bundle, "orphan", "echo never", "");
        Path pidFile = shared.resolve("orphan.pid");
        // Create writes the pid file through a temporary beside it, then renames: a FIFO at either name blocks it.
        List<Path> fifos = List.of(pidFile, pidFile.resolveSibling(pidFile.getFileName() + ".jrun-tmp"));
        try {
            for (Path fifo : fifos) {
                Files.deleteIfExists(fifo);
                assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor());
            }
            // One-shot: the SIGKILL below stands for jrun crashing, and in server mode it would reach only the client
            // (what the server does then is ServerIT's: it unwinds the create itself).
            Process create = startJrun("--no-server", "create", "--pid-file", pidFile.toString(), spec.toString());
            Path stateFile = stateRoot.resolve("orphan/state.json");
            await().atMost(PATIENCE).until(() -> "CREATED".equals(field(stateFile, "phase")));
            long init = Long.parseLong(field(stateFile, "pid"));
            assertTrue(create.isAlive(), "create should be blocked on the pid file's FIFO; it exited with " + exitOf(create));
            assertTrue(LifecycleIT.isAlive(init), "the init waits for the acknowledgement");
            create.destroyForcibly(); // SIGKILL, to the exact pid of the `jrun create` this test started
            assertTrue(create.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS));
            await().atMost(PATIENCE).until(() -> !LifecycleIT.isAlive(init));
        } finally {
            for (Path fifo : fifos) {
                Files.deleteIfExists(fifo);
            }
        }
    }

    @Test
    void argumentsBeyondTheHelpersLimitAreRefusedWithThePointer() throws Exception {
        String many = IntStream.range(0, 4100).mapToObj(i -> "x").collect(Collectors.joining(" "));
        Path spec = Bundles.spec(bundle, "toomany", "echo never", "");
        Files.writeString(spec, Files.readString(spec).replace("args: [sh, -c,", "args: [sh, " + many.replace(" ", ", ") + ", -c,"));
        JrunProcess.Result create = jrun().run("create", spec.toString());
        assertEquals(1, create.code(), create.err());
        assertTrue(create.err().contains("MAX_ARGS") && create.err().contains("(at /process/args)"), create.err());
        assertFalse(create.err().contains("Broken pipe"), create.err());
        assertEquals("absent", jrun().status("toomany"));
    }

    @Test
    void startOfAnUnreachableInitSaysWhatOnce() throws Exception {
        Path spec = Bundles.spec(bundle, "deaf", "echo never", "");
        assertEquals(0, jrun().run("create", spec.toString()).code());
        // A socket file nobody listens on at the start socket's place: connect is refused.
        Path socket = stateRoot.resolve("deaf/start.sock");
        Files.delete(socket);
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket));
        }
        JrunProcess.Result start = jrun().run("start", "deaf");
        assertEquals(1, start.code());
        assertTrue(start.err().startsWith("jrun: start: cannot reach the init of container \"deaf\""), start.err());
        assertFalse(start.err().contains("start: start:"), start.err());
    }

    // ---- plumbing ---------------------------------------------------------------------------

    private Process startJrun(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(jrun().executable().toString(), "--root", stateRoot.toString()));
        command.addAll(List.of(args));
        // Files, not pipes: the init keeps jrun's stdout and stderr.
        Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        started.add(process);
        return process;
    }

    private long pidOf(String id) throws Exception {
        return jrun().run("state", id).json().get("pid").asLong();
    }

    private static String field(Path stateFile, String name) {
        try {
            JsonNode value = new ObjectMapper().readTree(stateFile.toFile()).get(name);
            return value == null ? null : value.asText();
        } catch (IOException e) {
            return null; // not written yet, or being replaced
        }
    }

    private static String exitOf(Process process) {
        return process.isAlive() ? "(alive)" : Integer.toString(process.exitValue());
    }

    private static String exe(long pid) throws IOException {
        return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "exe")).toString();
    }

    record Stat(long parent, long processGroup, long session) {}

    /** Fields 4, 5 and 6 of /proc/PID/stat, in the host's pid numbers. */
    private static Stat stat(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new Stat(Long.parseLong(fields[1]), Long.parseLong(fields[2]), Long.parseLong(fields[3]));
    }
}
