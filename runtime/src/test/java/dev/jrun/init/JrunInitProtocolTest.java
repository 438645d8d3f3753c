package dev.jrun.init;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.plan.Plan;
import dev.jrun.plan.PlanEncoder;
import dev.jrun.plan.PlannedStep;
import dev.jrun.plan.Stage;
import dev.jrun.plan.Step;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built jrun-init (runtime/target/jrun-init) driven through the sync and start sockets with small
 * hand-made plans, using jrun's own {@link InitConnection} and {@link StartConnection}. Only steps that need
 * no privilege (no namespace, CLONE without flags is a fork), so these run without root, in seconds.
 */
class JrunInitProtocolTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final int SIGUSR1 = 10;
    private static final int SIGUSR2 = 12;

    @TempDir
    Path dir;

    private HelperUnderTest helpers;
    private InitConnection connection;

    @AfterEach
    void stopHelpers() throws Exception {
        if (helpers != null) {
            helpers.stop();
        }
    }

    @Test
    void readyWaitsForItsAcknowledgementAndEndOfFileEndsTheInit() throws Exception {
        Process init = run(listen(), new Step.Ready(), new Step.AwaitStart(), exec("/bin/true"));
        assertInstanceOf(InitMessage.Ready.class, connection.next(PATIENCE));
        assertTrue(init.isAlive(), "the init waits for the acknowledgement");
        connection.close(); // what a `jrun create` killed before recording the container looks like to the init
        assertTrue(init.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS), "the init must not stay behind waiting for a start");
        assertEquals(1, init.exitValue());
        assertEquals("", stderr(), "it leaves quietly: Java reports (or was killed)");
    }

    /** A helper that says nothing (here: it waits for an acknowledgement nobody sends) fails next() at its deadline. */
    @Test
    void aSilentHelperFailsTheReadAtItsDeadline() throws Exception {
        Process init = run(listen(), new Step.Ready(), new Step.AwaitStart(), exec("/bin/true"));
        assertInstanceOf(InitMessage.Ready.class, connection.next(PATIENCE));
        long started = System.nanoTime();
        var silent = assertThrows(InitConnection.InitTimeoutException.class, () -> connection.next(Duration.ofMillis(300)));
        assertTrue(silent.getMessage().contains("did not report within"), silent.getMessage());
        assertTrue(System.nanoTime() - started < PATIENCE.toNanos(), "the deadline, not the helper, ended the wait");
        assertTrue(init.isAlive(), "it still waits: only the read gave up");
    }

    @Test
    void abortAfterReadyEndsTheInit() throws Exception {
        Process init = run(listen(), new Step.Ready(), new Step.AwaitStart(), exec("/bin/true"));
        assertInstanceOf(InitMessage.Ready.class, connection.next(PATIENCE));
        connection.abort();
        assertTrue(init.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        assertEquals(1, init.exitValue());
    }

    @Test
    void anyOtherAcknowledgementIsAProtocolError() throws Exception {
        run(listen(), new Step.Ready(), new Step.AwaitStart(), exec("/bin/true"));
        assertInstanceOf(InitMessage.Ready.class, connection.next(PATIENCE));
        connection.send(new byte[] {'x'}, PATIENCE);
        InitMessage.Failure failure = assertInstanceOf(InitMessage.Failure.class, connection.next(PATIENCE));
        assertEquals(1, failure.step());
        assertEquals("READY", failure.operation());
        assertEquals(71, failure.errno(), "EPROTO");
    }

    @Test
    void startReturnsOnceTheProcessIsExecd() throws Exception {
        // A big environment (1.4 MB, under ARG_MAX) makes execve take a while to copy it: time in which an
        // init that answered and closed before exec'ing would still be jrun-init. That window is short, so
        // the start is repeated: an init that closed early would be caught in one of the rounds.
        List<String> env = java.util.stream.IntStream.range(0, 12).mapToObj(i -> "BIG" + i + "=" + "x".repeat(120_000)).toList();
        Path sleep = Path.of("/bin/sleep").toRealPath();
        for (int round = 0; round < 10; round++) {
            Files.deleteIfExists(startSocket());
            Process init = run(listen(), new Step.Ready(), new Step.AwaitStart(), new Step.Exec("/bin/sleep", List.of("sleep", "10"), env));
            assertInstanceOf(InitMessage.Ready.class, connection.next(PATIENCE));
            connection.proceed();
            connection.close();
            Path before = exe(init.pid());
            assertEquals("/memfd:jrun-init (deleted)", before.toString(), "jrun-init, from its sealed memfd copy");
            assertInstanceOf(StartConnection.Outcome.Executed.class, StartConnection.start(startSocket(), PATIENCE));
            // No waiting: end of file on the start connection comes from execve closing it (close-on-exec).
            assertEquals(sleep, exe(init.pid()), "round " + round);
            init.destroyForcibly().waitFor();
        }
    }

    @Test
    void aFailedExecIsReportedToStartAndExits127() throws Exception {
        Process init = run(listen(), new Step.Ready(), new Step.AwaitStart(), exec(dir.resolve("missing").toString()));
        assertInstanceOf(InitMessage.Ready.class, connection.next(PATIENCE));
        connection.proceed();
        var failed = assertInstanceOf(StartConnection.Outcome.ExecFailed.class, StartConnection.start(startSocket(), PATIENCE));
        assertEquals("EXEC", failed.failure().operation());
        assertEquals(2, failed.failure().errno(), "ENOENT");
        assertTrue(failed.failure().detail().contains("missing"), failed.failure().detail());
        assertTrue(init.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        assertEquals(127, init.exitValue());
    }

    @Test
    void setsidMakesTheInitLeadItsOwnSession() throws Exception {
        Process init = run(new Step.Setsid(), listen(), new Step.Ready(), new Step.AwaitStart(), exec("/bin/true"));
        assertInstanceOf(InitMessage.Ready.class, connection.next(PATIENCE));
        long[] ids = sessionOf(init.pid());
        assertEquals(init.pid(), ids[0], "process group");
        assertEquals(init.pid(), ids[1], "session");
        assertNotEquals(sessionOf(ProcessHandle.current().pid())[1], ids[1], "not the session of whoever started it");
    }

    /** The foreground parent relays what the plan lists (SIGUSR1 here) and passes on the child's exit status. */
    @Test
    void aForegroundCloneRelaysTheSignalsThePlanLists() throws Exception {
        Path mark = dir.resolve("trapped");
        Process helper = foregroundShell(List.of(SIGUSR1), mark);
        await().atMost(PATIENCE).until(() -> Files.exists(mark));
        signal(helper, "USR1");
        assertTrue(helper.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        assertEquals(7, helper.exitValue(), "the child's trap ran and its status came back through the helper");
    }

    /** A signal the plan does not list is not relayed: SIGUSR2's default action ends the helper itself. */
    @Test
    void aForegroundCloneRelaysNothingElse() throws Exception {
        Path mark = dir.resolve("trapped");
        Process helper = foregroundShell(List.of(SIGUSR1), mark);
        await().atMost(PATIENCE).until(() -> Files.exists(mark));
        signal(helper, "USR2");
        assertTrue(helper.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        assertEquals(128 + SIGUSR2, helper.exitValue(), "killed by SIGUSR2, not exit 9 from the child's trap");
        Files.delete(mark); // the orphaned child's loop ends with the file
    }

    @Test
    void inForegroundModeTheHelperAndTheInitEachLeadASession() throws Exception {
        Process helper = run(new Step.Setsid(), new Step.Clone(0, Step.Clone.Mode.FOREGROUND, List.of(SIGUSR1)), new Step.Setsid(),
                listen(), new Step.Ready(), new Step.AwaitStart(), exec("/bin/true"));
        long child = assertInstanceOf(InitMessage.Pid.class, connection.next(PATIENCE)).pid();
        assertInstanceOf(InitMessage.Ready.class, connection.next(PATIENCE));
        assertEquals(helper.pid(), sessionOf(helper.pid())[1]);
        assertEquals(child, sessionOf(child)[1]);
        connection.close(); // the child exits (no acknowledgement), and the helper with its status
        assertTrue(helper.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        assertEquals(1, helper.exitValue());
    }

    @Test
    void aDetachedCloneWithSignalsIsRefusedBeforeAnythingRuns() throws Exception {
        // Step.Clone refuses to build this; the helper's own check is what is tested, so the bytes are patched.
        Plan plan = plan(new Step.Clone(0, Step.Clone.Mode.FOREGROUND, List.of(SIGUSR1)));
        byte[] bytes = PlanEncoder.encode(plan);
        int mode = 16 + 4 + 1 + 8 + 1; // past the header, opcode and count, the flags argument and the mode's kind byte: its low byte
        bytes[mode] = 0;
        Process helper = start(bytes);
        InitMessage.Failure failure = assertInstanceOf(InitMessage.Failure.class, connection.next(PATIENCE));
        assertEquals("CLONE", failure.operation());
        assertEquals(22, failure.errno(), "EINVAL");
        assertTrue(failure.detail().contains("relays no signals"), failure.detail());
        assertTrue(helper.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS));
    }

    /** A pair is served by the foreground parent; a detached one would leave it to nobody: refused before the clone. */
    @Test
    void aConsolePairNeedsAForegroundClone() throws Exception {
        Process helper = run(new Step.ConsolePair(), new Step.Clone(0, Step.Clone.Mode.DETACH, List.of()), new Step.Ready());
        InitMessage.Failure failure = assertInstanceOf(InitMessage.Failure.class, connection.next(PATIENCE), "no child was made");
        assertEquals("CLONE", failure.operation());
        assertEquals(22, failure.errno(), "EINVAL");
        assertTrue(failure.detail().contains("CONSOLE_PAIR needs a foreground CLONE"), failure.detail());
        assertTrue(helper.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS));
    }

    @Test
    void aTerminalWithNowhereToSendItsMasterFails() throws Exception {
        run(new Step.ConsoleAttach(false, 0, 0, 0), new Step.Ready());
        InitMessage.Failure failure = assertInstanceOf(InitMessage.Failure.class, connection.next(PATIENCE));
        assertEquals("CONSOLE_ATTACH", failure.operation());
        assertEquals(9, failure.errno(), "EBADF");
    }

    /**
     * The console socket's message as runc sends it (one message: the bytes "/dev/ptmx", one descriptor), and the
     * process on the slave, sized, as its controlling terminal. Unprivileged, so on the host's /dev/ptmx.
     */
    @Test
    void theMasterGoesOverTheConsoleSocketAndTheProcessRunsOnTheSlave() throws Exception {
        Path socket = dir.resolve("console.sock");
        int listener = dev.jrun.sys.UnixSockets.listen(socket, 1);
        try {
            long uid = (Integer) Files.getAttribute(dir, "unix:uid");
            run(new Step.ConsoleConnect(socket.toString()), new Step.Setsid(), new Step.ConsoleAttach(false, 24, 80, uid), new Step.Ready(),
                    new Step.Exec("/bin/sh", List.of("sh", "-c", "stty size; [ -t 0 ] && [ -t 2 ] && echo tty; readlink /proc/$$/fd/0 > \"$0\"; "
                            + "ps -o tty= -p $$ >> \"$0\"", dir.resolve("seen").toString()), List.of("PATH=/bin:/usr/bin")));
            assertInstanceOf(InitMessage.Ready.class, connection.next(PATIENCE));
            int accepted = dev.jrun.sys.UnixSockets.accept(listener).orElseThrow(() -> new AssertionError("CONSOLE_CONNECT never connected"));
            var received = dev.jrun.sys.UnixSockets.receive(accepted, 4096, 4, false).orElseThrow();
            dev.jrun.sys.FileDescriptors.close(accepted);
            assertEquals("/dev/ptmx", new String(received.data(), java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(1, received.fds().size());
            int master = received.fds().getFirst();
            try {
                connection.proceed();
                await().atMost(PATIENCE).until(() -> Files.exists(dir.resolve("seen")) && Files.readString(dir.resolve("seen")).lines().count() == 2);
                byte[] buffer = new byte[4096];
                int n = dev.jrun.sys.FileDescriptors.read(master, buffer, 0, buffer.length, "the master");
                String output = new String(buffer, 0, n, java.nio.charset.StandardCharsets.UTF_8);
                assertTrue(output.startsWith("24 80\r\ntty\r\n"), output);
                List<String> seen = Files.readAllLines(dir.resolve("seen"));
                assertTrue(seen.get(0).startsWith("/dev/pts/"), "stdin is the slave: " + seen);
                assertEquals(seen.get(0).substring("/dev/".length()), seen.get(1).strip(), "and the controlling terminal: " + seen);
            } finally {
                dev.jrun.sys.FileDescriptors.close(master);
            }
        } finally {
            dev.jrun.sys.FileDescriptors.close(listener);
        }
    }

    /**
     * CONSOLE_PAIR: the foreground parent relays its own stdin and stdout to the child's pty, here a file and a file
     * (not terminals: the bytes are relayed all the same, without raw mode), and exits with the child's status once the
     * pty is drained.
     */
    @Test
    void aForegroundParentRelaysItsStdioToThePtyOfItsChild() throws Exception {
        long uid = (Integer) Files.getAttribute(dir, "unix:uid");
        Path input = Files.writeString(dir.resolve("input"), "hello\n");
        Process helper = start(PlanEncoder.encode(plan(new Step.ConsolePair(), new Step.Clone(0, Step.Clone.Mode.FOREGROUND, List.of(SIGUSR1)),
                new Step.Setsid(), new Step.ConsoleAttach(false, 0, 0, uid), new Step.Ready(),
                new Step.Exec("/bin/sh", List.of("sh", "-c", "[ -t 0 ] && echo on a tty; read x; echo got $x; exit 5"), List.of("PATH=/bin:/usr/bin")))),
                input);
        assertInstanceOf(InitMessage.Pid.class, connection.next(PATIENCE));
        assertInstanceOf(InitMessage.Ready.class, connection.next(PATIENCE));
        connection.proceed();
        assertTrue(helper.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        assertEquals(5, helper.exitValue(), "the child's status");
        String output = Files.readString(dir.resolve("stdout"));
        assertTrue(output.contains("on a tty\r\n") && output.contains("got hello\r\n"), output);
    }

    // ---- plumbing ---------------------------------------------------------------------------

    private Process foregroundShell(List<Integer> relayed, Path mark) throws Exception {
        String script = "trap 'exit 7' USR1; trap 'exit 9' USR2; touch \"$0\"; while [ -e \"$0\" ]; do sleep 0.05; done";
        Process helper = run(new Step.Clone(0, Step.Clone.Mode.FOREGROUND, relayed), new Step.Ready(),
                new Step.Exec("/bin/sh", List.of("sh", "-c", script, mark.toString()), List.of("PATH=/bin:/usr/bin")));
        assertInstanceOf(InitMessage.Pid.class, connection.next(PATIENCE));
        assertInstanceOf(InitMessage.Ready.class, connection.next(PATIENCE));
        connection.proceed();
        return helper;
    }

    /** Only ever the exact pid of a helper this test started. */
    private static void signal(Process helper, String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(helper.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor());
    }

    private Step listen() {
        return new Step.ListenStart(startSocket().toString());
    }

    private Path startSocket() {
        return dir.resolve("start.sock");
    }

    private static Step exec(String path, String... args) {
        List<String> argv = new ArrayList<>(List.of(Path.of(path).getFileName().toString()));
        argv.addAll(Arrays.asList(args));
        return new Step.Exec(path, argv, List.of());
    }

    private static Plan plan(Step... steps) {
        return new Plan(Arrays.stream(steps).map(s -> new PlannedStep(s, Stage.PROCESS, "test")).toList());
    }

    private Process run(Step... steps) throws IOException {
        return start(PlanEncoder.encode(plan(steps)));
    }

    private Process start(byte[] plan) throws IOException {
        return start(plan, Path.of("/dev/null"));
    }

    private Process start(byte[] plan, Path stdin) throws IOException {
        helpers = helpers == null ? new HelperUnderTest(dir, PATIENCE) : helpers;
        Process helper = helpers.start(plan, stdin, c -> { });
        connection = helpers.connection();
        return helper;
    }

    private String stderr() throws IOException {
        return Files.readString(dir.resolve("stderr"));
    }

    private static Path exe(long pid) throws IOException {
        return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "exe"));
    }

    /** {process group, session} from /proc/PID/stat (fields 5 and 6). */
    private static long[] sessionOf(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(fields[2]), Long.parseLong(fields[3])};
    }
}
