package dev.jrun.conformance;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway pid namespace in which a test runs the runtime, for the tests of an operation that a
 * buggy runtime could turn against processes that are not its container's: {@code kill --all} of a
 * container without a pid namespace of its own once signalled every process of the caller's pid
 * namespace. Run from the test JVM, that is the whole host.
 *
 * <p>Why nothing outside can be hit: kill(2) takes a pid of the caller's pid namespace and reaches only
 * processes of that namespace and of the namespaces below it. Every command of the runtime under test
 * runs in the sandbox's pid namespace ({@code nsenter --pid}, see {@link #runtime}), and so do the
 * processes it starts, so whatever it signals is in the sandbox. It also runs in the sandbox's mount
 * namespace ({@code nsenter --mount}), whose /proc is the sandbox's own ({@code unshare --mount-proc}),
 * so a runtime that walks /proc finds only the sandbox's processes and their pids are the ones it
 * reports in {@code state}.
 *
 * <p>The namespace's init (pid 1) is {@code cat} reading its stdin, a pipe from the test JVM; before it,
 * the shell it replaces starts the bystander, a {@code sleep} that belongs to no container. The
 * kernel delivers no signal to a pid namespace's init from inside the namespace unless the init has a
 * handler for it, SIGKILL included, and cat has none: the runtime cannot end it. The sandbox ends when
 * its init ends, and then the kernel kills every process left in it and in the namespaces below it
 * (the containers'). The init ends on end of file: when {@link #close} closes the pipe, or when the
 * test JVM dies; and if unshare dies ({@code --kill-child}). Nothing is ever killed by name, and the
 * only pid the JVM signals is that of unshare, its own child, when the pipe is not enough.
 *
 * <p>With the suite's cleanup: an orphan in the sandbox (a container's init once {@code create} has
 * exited) is adopted by the sandbox's init, not by the test JVM (a subreaper adopts only orphans of its
 * own pid namespace's processes), but stays a descendant of the JVM (JVM, unshare, init, ...). So were
 * anything of the sandbox left after {@link #close}, the after-each sweep of {@link ContainerTestSupport}
 * would find it in a new pid namespace and kill it by its exact pid. Containers in a sandbox are not
 * deleted by that cleanup: the runtime works in the sandbox only while it is open, so the test deletes
 * them itself before it closes the sandbox.
 *
 * <p>The test observes the sandbox's processes through the sandbox's /proc, reached as
 * {@code /proc/INIT/root/proc} (INIT the host's pid of the sandbox's init), so it uses the same pids as
 * the runtime.
 */
final class Sandbox implements AutoCloseable {
    private final Process unshare;
    private final Path log;
    private final long init;
    private final String pidNamespace;
    private final Path proc;
    private long bystander;

    private Sandbox(Process unshare, Path log, long init, String pidNamespace) {
        this.unshare = unshare;
        this.log = log;
        this.init = init;
        this.pidNamespace = pidNamespace;
        this.proc = Path.of("/proc", Long.toString(init), "root", "proc");
    }

    /** Starts a sandbox, its bystander included; unshare's output goes to dir/sandbox.log. */
    static Sandbox open(Path dir) throws IOException {
        Path log = Files.createDirectories(dir).resolve("sandbox.log");
        Process unshare = new ProcessBuilder("unshare", "--fork", "--pid", "--mount-proc", "--kill-child", "--",
                "/bin/sh", "-c", "sleep 1000000 & exec cat >/dev/null")
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectErrorStream(true).redirectOutput(log.toFile())
                .start();
        try {
            long init = await("the sandbox's init").atMost(Container.TIMEOUT).pollInterval(Duration.ofMillis(50))
                    .until(() -> readyInit(unshare, log), Optional::isPresent).orElseThrow();
            String pidNamespace = Objects.requireNonNull(Host.namespace(init, "pid"), "the sandbox's init is gone");
            Sandbox sandbox = new Sandbox(unshare, log, init, pidNamespace);
            sandbox.bystander = await("the sandbox's bystander to be asleep").atMost(Container.TIMEOUT).pollInterval(Duration.ofMillis(50))
                    .until(() -> sandbox.children(1).stream().filter(pid -> sandbox.sleeps(pid, "sleep")).findFirst(),
                            Optional::isPresent).orElseThrow();
            return sandbox;
        } catch (RuntimeException | Error e) {
            unshare.destroyForcibly();
            throw e;
        }
    }

    /**
     * The host's pid of the sandbox's init once it is ready: it is cat (so unshare has mounted the
     * sandbox's /proc and the shell has started the bystander), and pid 1 of the /proc it sees is itself.
     */
    private static Optional<Long> readyInit(Process unshare, Path log) throws IOException {
        if (!unshare.isAlive()) {
            throw new AssertionError("unshare exited with " + unshare.exitValue() + ": " + Files.readString(log));
        }
        return unshare.toHandle().children().map(ProcessHandle::pid)
                .filter(pid -> "cat".equals(comm(Path.of("/proc", Long.toString(pid)))))
                .filter(pid -> {
                    String own = Host.namespace(pid, "pid");
                    return own != null && !own.equals(Host.ownNamespace("pid"))
                            && own.equals(link(Path.of("/proc", Long.toString(pid), "root", "proc", "1", "ns", "pid")));
                })
                .findFirst();
    }

    /**
     * This runtime (its --root kept), each command run in the sandbox's pid and mount namespaces. Use
     * it only while the sandbox is open.
     */
    RuntimeUnderTest runtime(RuntimeUnderTest runtime) {
        return runtime.launchedBy(List.of("nsenter", "--target", Long.toString(init), "--pid", "--mount", "--"));
    }

    /** The sandbox's mount namespace ("mnt:[N]"): the runtime's, for every command run through {@link #runtime}. */
    String mountNamespace() {
        return Host.namespace(init, "mnt");
    }

    /** The bystander's pid (in the sandbox): a sleep that belongs to no container. */
    long bystander() {
        return bystander;
    }

    /** Alive means neither gone nor a zombie (exited, waiting to be reaped). */
    boolean isAlive(long pid) {
        return Host.state(proc.resolve(Long.toString(pid))).filter(s -> s != 'Z' && s != 'X').isPresent();
    }

    /** Whether the process is asleep and runs this program: see {@link Host#sleeps} for what that shows. */
    boolean sleeps(long pid, String program) {
        Path dir = proc.resolve(Long.toString(pid));
        return Host.state(dir).filter(s -> s == 'S').isPresent() && program.equals(comm(dir));
    }

    /** The pids (in the sandbox) of the process's children. */
    List<Long> children(long pid) {
        try {
            String children = Files.readString(proc.resolve(Long.toString(pid)).resolve("task").resolve(Long.toString(pid)).resolve("children"));
            return Arrays.stream(children.trim().split("\\s+")).filter(s -> !s.isEmpty()).map(Long::parseLong).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** For assertion messages: the sandbox's processes, one "pid state (program)" each. */
    String processes() {
        try (var entries = Files.list(proc)) {
            return entries.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d+")).map(Long::parseLong).sorted()
                    .map(pid -> pid + " " + Host.state(proc.resolve(Long.toString(pid))).map(String::valueOf).orElse("gone") + " (" + comm(proc.resolve(Long.toString(pid))) + ")")
                    .toList().toString();
        } catch (IOException e) {
            return "(cannot list the sandbox's /proc: " + e.getMessage() + ")";
        }
    }

    /**
     * Ends the sandbox: closes its init's stdin, so the init exits and the kernel kills what is left in
     * the namespace; if unshare has not exited in time, kills it (by its pid: it is the JVM's own child),
     * and --kill-child ends the init. Then no process of the namespace may be left.
     */
    @Override
    public void close() throws IOException, InterruptedException {
        unshare.getOutputStream().close();
        if (!unshare.waitFor(Container.TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            System.err.println("conformance: the sandbox's init " + init + " did not end on end of file; killing unshare " + unshare.pid());
            unshare.destroyForcibly();
            unshare.waitFor(Container.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
        await("the sandbox's processes to end").atMost(Container.TIMEOUT).pollInterval(Duration.ofMillis(50))
                .until(() -> Host.processesIn(pidNamespace).isEmpty());
        assertEquals(List.of(), Host.processesIn(pidNamespace), "processes of the sandbox are left (" + Files.readString(log) + ")");
    }

    private static String comm(Path processDir) {
        try {
            return Files.readString(processDir.resolve("comm")).strip();
        } catch (IOException e) {
            return null;
        }
    }

    private static String link(Path path) {
        try {
            return Files.readSymbolicLink(path).toString();
        } catch (IOException e) {
            return null;
        }
    }
}
