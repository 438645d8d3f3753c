package dev.jrun.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jrun.sys.FileDescriptors;
import dev.jrun.sys.NativeException;
import dev.jrun.sys.UnixSockets;
import dev.jrun.testing.Command;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * process.terminal on real containers (docs/terminal.md): the master sent over --console-socket as runc sends it,
 * the pty made in the container (its /dev/pts, /dev/console, consoleSize, the process's user owning it), and
 * `jrun run` relaying the user's own terminal, driven from a pty the test makes.
 */
class TerminalIT extends BusyboxContainerTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String DEVPTS = "  - {destination: /dev/pts, type: devpts, source: devpts, "
            + "options: [nosuid, noexec, newinstance, ptmxmode=0666, mode=0620, gid=5]}\n";

    @AfterEach
    void nothingLeftBehind() throws Exception {
        for (String id : jrun().run("list", "-q").out().lines().toList()) {
            jrun().run("delete", "--force", id);
        }
    }

    @Test
    void theMasterComesOverTheConsoleSocketAndTheProcessRunsOnItsSlave() throws Exception {
        Path spec = terminalSpec("console", "tty; stty size; stat -L -c 'console %d:%i' /dev/console; stat -c 'tty %d:%i %u' $(tty); "
                + "readlink /proc/self/fd/0; readlink /proc/self/fd/2; echo READY; read x; echo got $x", "consoleSize: {height: 33, width: 101}");
        Path socketPath = stateRoot.resolve("console.sock");
        int listener = UnixSockets.listen(socketPath, 1);
        try {
            JrunProcess.Result create = jrun().run("create", "--console-socket", socketPath.toString(), spec.toString());
            assertEquals(0, create.code(), create.err());
            assertEquals("", create.out() + create.err(), "create says nothing");
            // The connection was queued and the master sent during create: it waits for us.
            int connection = UnixSockets.accept(listener).orElseThrow(() -> new AssertionError("create never connected"));
            UnixSockets.Received received = UnixSockets.receive(connection, 4096, 4, false).orElseThrow();
            FileDescriptors.close(connection);
            // runc's shape, which conmon and containerd's shim check: the file's name as data, exactly one descriptor.
            assertEquals("/dev/ptmx", new String(received.data(), StandardCharsets.UTF_8));
            assertEquals(1, received.fds().size(), "one descriptor");
            int master = received.fds().getFirst();
            try (PtyReader output = new PtyReader(master)) {
                JrunProcess.Result start = jrun().run("start", "console");
                assertEquals(0, start.code(), start.err());
                await().atMost(PATIENCE).untilAsserted(() -> assertTrue(output.text().contains("READY"), output.text()));
                FileDescriptors.writeFully(master, "hello\n".getBytes(StandardCharsets.UTF_8), 0, 6, "the master");
                await().atMost(PATIENCE).untilAsserted(() -> assertTrue(output.text().contains("got hello"), output.text()));
                String text = output.text();
                assertTrue(text.contains("/dev/pts/0\r\n/dev/pts/0\r\nREADY"), "stdin and stderr are the pty: " + text);
                assertTrue(text.startsWith("/dev/pts/0\r\n33 101\r\n"), "the pty is the container's first, sized by consoleSize: " + text);
                String console = find(text, "console (\\S+)");
                assertEquals(console, find(text, "tty (\\S+) \\d+"), "/dev/console is the pty: " + text);
                assertEquals("1000", find(text, "tty \\S+ (\\d+)"), "the process's user owns its terminal: " + text);
            }
            await().atMost(PATIENCE).until(() -> "stopped".equals(jrun().status("console")));
        } finally {
            FileDescriptors.close(listener);
        }
    }

    /** In a new user namespace the init is the namespace's root: the pty, its owner and the /dev/console bind all work from there. */
    @Test
    void inANewUserNamespaceToo() throws Exception {
        Path spec = terminalSpec("userns", "tty; stat -L -c 'console %d:%i' /dev/console; stat -c 'tty %d:%i %u' $(tty); echo READY",
                "consoleSize: {height: 24, width: 80}");
        // gid=5 on devpts needs gid 5 mapped, which it is; the ids map to 200000 and up on the host.
        Files.writeString(spec, Files.readString(spec).replace(Bundles.DEFAULT_LINUX, """
                linux:
                  uidMappings: [{containerID: 0, hostID: 200000, size: 65536}]
                  gidMappings: [{containerID: 0, hostID: 200000, size: 65536}]
                  namespaces: [{type: user}, {type: pid}, {type: mount}, {type: uts}, {type: ipc}, {type: network}]
                """));
        Path socketPath = stateRoot.resolve("userns.sock");
        int listener = UnixSockets.listen(socketPath, 1);
        try {
            JrunProcess.Result create = jrun().run("create", "--console-socket", socketPath.toString(), spec.toString());
            assertEquals(0, create.code(), create.err());
            int connection = UnixSockets.accept(listener).orElseThrow(() -> new AssertionError("create never connected"));
            UnixSockets.Received received = UnixSockets.receive(connection, 4096, 4, false).orElseThrow();
            FileDescriptors.close(connection);
            assertEquals(1, received.fds().size(), "one descriptor");
            try (PtyReader output = new PtyReader(received.fds().getFirst())) {
                assertEquals(0, jrun().run("start", "userns").code());
                await().atMost(PATIENCE).untilAsserted(() -> assertTrue(output.text().contains("READY"), output.text()));
                String text = output.text();
                assertTrue(text.startsWith("/dev/pts/0\r\n"), text);
                assertEquals(find(text, "console (\\S+)"), find(text, "tty (\\S+) \\d+"), "/dev/console is the pty: " + text);
                assertEquals("1000", find(text, "tty \\S+ (\\d+)"), "the process's user owns its terminal: " + text);
            }
        } finally {
            FileDescriptors.close(listener);
        }
    }

    @Test
    void createWithATerminalAndNoConsoleSocketIsRefusedAndLeavesNothing() throws Exception {
        Path spec = terminalSpec("refused", "true", "");
        JrunProcess.Result create = jrun().run("create", spec.toString());
        assertEquals(1, create.code());
        assertTrue(create.err().contains("cannot allocate tty if runc will detach without setting console socket"), create.err());
        assertTrue(create.err().contains("--console-socket"), "says what to do: " + create.err());
        assertEquals("absent", jrun().status("refused"));
    }

    @Test
    void aConsoleSocketNobodyListensOnFailsCreateAndLeavesNothing() throws Exception {
        Path spec = terminalSpec("nobody", "true", "");
        Path socketPath = stateRoot.resolve("nobody.sock");
        JrunProcess.Result create = jrun().run("create", "--console-socket", socketPath.toString(), spec.toString());
        assertEquals(1, create.code());
        assertTrue(create.err().contains("CONSOLE_CONNECT") && create.err().contains(socketPath.toString()) && create.err().contains("ENOENT"),
                create.err());
        assertEquals("absent", jrun().status("nobody"));
    }

    /**
     * `jrun run` under a pty the test made, as a user at a terminal: output, input, the user's window size (and a
     * change of it) on the container's terminal, the exit status, and the user's terminal settings restored. Through
     * the warm server's client and through a one-shot JVM: the helper's stdio is the caller's in both.
     */
    @ParameterizedTest(name = "JRUN_SERVER={0}")
    @ValueSource(strings = {"on", "off"})
    void runAttachesTheUsersOwnTerminal(String server) throws Exception {
        Path spec = terminalSpec("attached-" + server, "tty; stty size; echo READY; read x; echo got $x; "
                + "trap 'stty size; exit 7' WINCH; echo WAITING; while :; do sleep 1; done", "consoleSize: {height: 33, width: 101}");
        Path driver = Files.writeString(stateRoot.resolve("pty_driver.py"), PTY_DRIVER);
        String script = "stty -g; " + jrun().executable() + " --root " + stateRoot + " run " + spec + "; echo status=$?; stty -g";
        String json = Command.of("python3", driver.toString(), "sh", "-c", script).withEnv(Map.of("JRUN_SERVER", server)).check(PATIENCE);
        JsonNode result = new ObjectMapper().readTree(json);
        String text = result.get("output").asText();
        assertEquals(0, result.get("exit").asInt(), text);
        assertTrue(text.contains("/dev/pts/0\r\n40 120\r\nREADY"), "the user's window size, not consoleSize: " + text);
        assertTrue(text.contains("got hello"), "input reaches the process: " + text);
        assertTrue(text.contains("WAITING\r\n50 132\r\n"), "a change of the user's window reaches the container: " + text);
        assertTrue(text.contains("status=7"), "run exits with the process's status: " + text);
        List<String> settings = text.lines().map(String::strip).filter(l -> l.matches("[0-9a-f]+(:[0-9a-f]+){10,}")).toList();
        assertEquals(2, settings.size(), text);
        assertEquals(settings.get(0), settings.get(1), "the user's terminal is restored");
        assertEquals("absent", jrun().status("attached-" + server));
    }

    /**
     * A process that writes a lot and reads none of what is typed (a pasted text, say) must not wedge the relay: the
     * pty's output is emptied while its input is full, and once the process ends `run` ends with its status.
     */
    @Test
    void aFloodBothWaysNeitherWedgesTheRelayNorOutlivesTheProcess() throws Exception {
        Path spec = terminalSpec("flood", "seq 1 100000; echo DONE; exit 4", "");
        Path driver = Files.writeString(stateRoot.resolve("flood_driver.py"), FLOOD_DRIVER);
        String json = Command.of("python3", driver.toString(), jrun().executable().toString(), "--root", stateRoot.toString(), "run", spec.toString())
                .check(PATIENCE.multipliedBy(2));
        JsonNode result = new ObjectMapper().readTree(json);
        String tail = result.get("tail").asText();
        assertEquals(4, result.get("exit").asInt(), tail);
        assertTrue(tail.endsWith("99999\r\n100000\r\nDONE\r\n"), "every line came through: " + tail);
        assertTrue(result.get("unsent").asInt() > 0, "the input was more than the pty could take: " + json);
    }

    private static String find(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        assertTrue(matcher.find(), regex + " in " + text);
        return matcher.group(1);
    }

    private Path terminalSpec(String name, String script, String processYaml) throws Exception {
        Path spec = Bundles.spec(bundle, name, script, "");
        String yaml = Files.readString(spec).replace("  user: {uid: 0, gid: 0}\n", "  user: {uid: 1000, gid: 1000}\n  terminal: true\n"
                + (processYaml.isEmpty() ? "" : "  " + processYaml + "\n")).replace("mounts:\n", "mounts:\n" + DEVPTS);
        return Files.writeString(spec, yaml);
    }

    /** Reads the master on a thread of its own until the pty is gone (EIO once no slave is open). */
    private static final class PtyReader implements AutoCloseable {
        private final int master;
        private final StringBuffer text = new StringBuffer();
        private final Thread thread;

        PtyReader(int master) {
            this.master = master;
            this.thread = Thread.ofPlatform().daemon().start(this::read);
        }

        private void read() {
            byte[] buffer = new byte[4096];
            try {
                int n;
                while ((n = FileDescriptors.read(master, buffer, 0, buffer.length, "the master")) > 0) {
                    text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                }
            } catch (NativeException e) {
                // EIO: the process and its terminal are gone
            }
        }

        String text() {
            return text.toString();
        }

        @Override
        public void close() throws InterruptedException {
            thread.join(PATIENCE.toMillis());
            FileDescriptors.close(master);
        }
    }

    /**
     * Runs its arguments on a new pty and types 200 kB into it as fast as it takes them while reading everything it
     * shows, until the end of the output; prints the exit status, the output's last bytes and what it could not type.
     */
    private static final String FLOOD_DRIVER = """
            import fcntl, json, os, pty, select, sys, time
            pid, fd = pty.fork()
            if pid == 0:
                os.execvp(sys.argv[1], sys.argv[1:])
            fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) | os.O_NONBLOCK)
            pending, out = (b"x" * 99 + b"\\r") * 2000, b""
            deadline = time.monotonic() + 50
            while time.monotonic() < deadline:
                readable, writable, _ = select.select([fd], [fd] if pending else [], [], 1)
                if writable:
                    try:
                        pending = pending[os.write(fd, pending[:4096]):]
                    except BlockingIOError:
                        pass
                if readable:
                    try:
                        data = os.read(fd, 65536)
                    except (BlockingIOError, InterruptedError):
                        continue
                    except OSError:
                        break
                    if not data:
                        break
                    out += data
            else:
                os.kill(pid, 9)
            _, status = os.waitpid(pid, 0)
            print(json.dumps({"exit": os.waitstatus_to_exitcode(status), "tail": out[-200:].decode(errors="replace"), "unsent": len(pending)}))
            """;

    /**
     * Runs its arguments on a new pty 40x120, as a user's terminal: types "hello" once READY shows, makes the window
     * 50x132 once WAITING shows, and prints everything the pty showed and the exit status as JSON.
     */
    private static final String PTY_DRIVER = """
            import fcntl, json, os, pty, select, struct, sys, termios, time
            pid, fd = pty.fork()
            if pid == 0:
                os.execvp(sys.argv[1], sys.argv[1:])
            fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
            out, typed, resized = b"", False, False
            deadline = time.monotonic() + 25
            while time.monotonic() < deadline:
                ready, _, _ = select.select([fd], [], [], 1)
                if ready:
                    try:
                        data = os.read(fd, 4096)
                    except OSError:
                        break
                    if not data:
                        break
                    out += data
                if b"READY" in out and not typed:
                    os.write(fd, b"hello\\r")
                    typed = True
                if b"WAITING" in out and not resized:
                    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 132, 0, 0))
                    resized = True
            else:
                os.kill(pid, 9)
            _, status = os.waitpid(pid, 0)
            print(json.dumps({"output": out.decode(errors="replace"), "exit": os.waitstatus_to_exitcode(status)}))
            """;
}
