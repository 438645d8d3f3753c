package dev.jrun.conformance;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * process.terminal with runc's --console-socket, the way conmon and containerd's shim use it: they listen on a Unix
 * socket, the runtime sends the master of the process's pty over it, and they talk to the process through it. The
 * receiver here is a small Python program checking the message as those callers do (one message, fewer than 4096
 * bytes of data, exactly one descriptor).
 */
@DisplayName("Terminal (config.md process.terminal, runc's --console-socket)")
class ConsoleSocketTest extends ContainerTestSupport {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Test
    @DisplayName("terminal: \"specifies whether a terminal is attached to the process\"; consoleSize: \"the dimensions of the terminal\"; "
            + "the master comes over --console-socket, and the process runs on its slave")
    void theProcessRunsOnAPtyWhoseMasterComesOverTheConsoleSocket() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "the console socket's receiver is written in Python: install python3");
        Path socket = work.resolve("console.sock");
        Path receiverScript = Files.writeString(work.resolve("receiver.py"), RECEIVER);
        Process receiver = new ProcessBuilder("/usr/bin/python3", receiverScript.toString(), socket.toString())
                .redirectOutput(work.resolve("receiver.json").toFile()).redirectError(work.resolve("receiver.err").toFile()).start();
        try {
            await().atMost(PATIENCE).until(() -> Files.exists(socket) || !receiver.isAlive());
            assertTrue(receiver.isAlive(), () -> "the receiver failed: " + read(work.resolve("receiver.err")));
            Bundle bundle = bundle(config()
                    .mount("/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620")
                    .edit(c -> {
                        var process = (com.fasterxml.jackson.databind.node.ObjectNode) c.get("process");
                        process.put("terminal", true);
                        process.putObject("consoleSize").put("height", 33).put("width", 101);
                    })
                    .sh("tty; stty size; stat -L -c 'console %d:%i' /dev/console; stat -L -c 'tty %d:%i' $(tty); echo READY; read x; echo got $x"));
            Container container = container(bundle);
            assertSucceeded(container.create(List.of("--console-socket", socket.toString())));
            assertSucceeded(container.start());
            assertTrue(receiver.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS), "the receiver did not finish");
            assertEquals(0, receiver.exitValue(), () -> read(work.resolve("receiver.err")));
            JsonNode received = new ObjectMapper().readTree(work.resolve("receiver.json").toFile());
            assertEquals(1, received.get("fds").asInt(), "exactly one descriptor: " + received);
            assertTrue(received.get("terminal").asBoolean(), "the descriptor is a terminal's master: " + received);
            String output = received.get("output").asText();
            assertTrue(output.startsWith("/dev/pts/"), "the process's stdin is a pty: " + output);
            assertTrue(output.contains("\r\n33 101\r\n"), "consoleSize: " + output);
            assertEquals(find(output, "tty (\\S+)"), find(output, "console (\\S+)"), "/dev/console is the process's terminal: " + output);
            assertTrue(output.contains("got hello"), "what is written into the master reaches the process: " + output);
            container.awaitStatus("stopped");
        } finally {
            receiver.destroyForcibly();
            receiver.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String find(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        assertTrue(matcher.find(), regex + " in " + text);
        return matcher.group(1);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "(" + e + ")";
        }
    }

    /**
     * Listens at argv[1], takes one connection and one message as conmon and containerd's shim do, then types "hello"
     * into the master once READY shows and prints, as JSON, the descriptors received and what the pty showed.
     */
    private static final String RECEIVER = """
            import array, json, os, select, socket, sys, time
            listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            listener.bind(sys.argv[1])
            listener.listen(1)
            connection, _ = listener.accept()
            fds = array.array("i")
            data, control, _, _ = connection.recvmsg(4096, socket.CMSG_SPACE(4 * fds.itemsize))
            for level, kind, payload in control:
                if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                    fds.frombytes(payload[:len(payload) - len(payload) % fds.itemsize])
            if len(data) >= 4096 or len(fds) != 1:
                print(json.dumps({"data": data.decode(errors="replace"), "fds": len(fds), "terminal": False, "output": ""}))
                sys.exit(0)
            master, out, typed = fds[0], b"", False
            deadline = time.monotonic() + 25
            while time.monotonic() < deadline and b"got hello" not in out:
                ready, _, _ = select.select([master], [], [], 1)
                if ready:
                    try:
                        chunk = os.read(master, 4096)
                    except OSError:
                        break
                    if not chunk:
                        break
                    out += chunk
                if b"READY" in out and not typed:
                    os.write(master, b"hello\\n")
                    typed = True
            print(json.dumps({"data": data.decode(errors="replace"), "fds": len(fds), "terminal": os.isatty(master),
                              "output": out.decode(errors="replace")}))
            """;
}
