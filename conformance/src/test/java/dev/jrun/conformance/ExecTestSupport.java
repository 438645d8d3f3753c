package dev.jrun.conformance;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the exec tests share: a container whose init sleeps, runc's exec command lines run directly or through a shell
 * (for descriptors, a working directory or stdin of the caller's), and the end of the processes an exec leaves to its
 * caller: a process of {@code exec --detach} is re-parented to the test JVM, the subreaper, once the runtime has
 * exited, and a zombie of it would keep the container's pid namespace (and so its init) from ending.
 */
abstract class ExecTestSupport extends ContainerTestSupport {
    static final ObjectMapper JSON = new ObjectMapper();
    /** The namespaces of a container of these tests that are its own, not the host's. */
    static final List<String> OWN_NAMESPACES = List.of("ipc", "mnt", "net", "pid", "uts");

    Container running(Bundle.Builder config) throws Exception {
        Container container = container(bundle(config));
        container.started();
        return container;
    }

    static Bundle.Builder sleeper() {
        return config().args("sleep", "1000000");
    }

    /** Skips the test unless the runtime's features list the namespaces the container of the test has. */
    static void assumeNamespaces() {
        for (String type : List.of("uts", "ipc", "network")) {
            assumeNamespace(type);
        }
    }

    /** The container's namespaces of {@link #OWN_NAMESPACES} are not the host's, so their comparisons mean something. */
    static void assertContainersOwn(long init) {
        for (String type : OWN_NAMESPACES) {
            assertNotEquals(Host.ownNamespace(type), Host.namespace(init, type), "the container's " + type + " namespace is the host's");
        }
    }

    /**
     * Kills (by its exact pid) a process that an exec left running, adopted by this JVM, and reaps it, as conmon or
     * containerd's shim would: a zombie still counts in its cgroup, and the runtime's delete would wait for it.
     */
    static void endAndReap(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        Host.reap(pid);
    }

    /** The lines of /proc/PID/status that {@link #statusFields} reads. */
    static final String STATUS_FIELDS = "^(Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs):";

    /** The capability sets and NoNewPrivs of a process, from its /proc/PID/status, spaces squeezed. */
    static List<String> statusFields(long pid) throws Exception {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                .filter(line -> line.matches(STATUS_FIELDS + ".*")).map(ExecTestSupport::squeezed).toList();
    }

    /** Like {@link #endAndReap}, for a process that may have been adopted by the container's init instead (left to delete). */
    static void endAndReapIfAdopted(long pid) {
        boolean adopted = Host.parent(pid).filter(parent -> parent == ProcessHandle.current().pid()).isPresent();
        if (adopted) {
            endAndReap(pid);
        }
    }

    static String quoted(Path path) {
        return "'" + path.toString().replace("'", "'\\''") + "'";
    }

    /** A command no other process on the host runs: a sleep of a length of its own (from this JVM's pid and a count). */
    static List<String> uniqueSleep() {
        return List.of("sleep", Long.toString(1_000_000 + ProcessHandle.current().pid() * 100 + SLEEPS.incrementAndGet() % 100));
    }

    static final AtomicInteger SLEEPS = new AtomicInteger();

    /**
     * Waits until the process runs this command line: a runtime may return from {@code exec --detach} (and write the
     * pid file) once the process is set up but before its execve (runc 1.1.5 does), so its program may still be the
     * runtime's own for a moment.
     */
    static void awaitCommandLine(long pid, List<String> command) {
        await("process " + pid + " to run " + command).atMost(Container.TIMEOUT).pollInterval(Duration.ofMillis(20))
                .until(() -> commandLine(pid), command::equals);
    }

    static List<String> commandLine(long pid) throws Exception {
        String cmdline = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"));
        return List.of(cmdline.split("\0"));
    }

    static String squeezed(String line) {
        return line.strip().replaceAll("\\s+", " ");
    }

    /**
     * Runs the runtime with these args the way a caller that passes descriptors does: a shell opens fd 3 and fd 4
     * on these files (truncated) and execs the runtime, which inherits them. (The JVM passes a child only fds 0-2.)
     */
    RuntimeUnderTest.Result runWithFds(Path fd3, Path fd4, List<String> args) throws Exception {
        return runThroughShell("exec 3>" + quoted(fd3) + " 4>" + quoted(fd4), args);
    }

    /** Runs the runtime with these args from a shell that first runs the prelude (redirections, a cd) and then execs it. */
    RuntimeUnderTest.Result runThroughShell(String prelude, List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of("sh", "-c", prelude + " && exec \"$@\"", "sh"));
        command.addAll(cli.commandLine(args));
        Path out = work.resolve("shell.out");
        Path err = work.resolve("shell.err");
        Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(RuntimeUnderTest.CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in " + RuntimeUnderTest.CALL_TIMEOUT_SECONDS + " s");
        }
        return new RuntimeUnderTest.Result(command, process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
