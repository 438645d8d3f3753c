package dev.jrun.conformance;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * runc's {@code exec --detach}, as conmon runs it for {@code podman exec} ({@code --detach --pid-file F --process FILE}):
 * the runtime returns once the process runs, writes its host pid to the pid file, and leaves the process to its
 * caller's subreaper, with the caller's stdio; and when it fails, it leaves nothing. (Same area as {@link ExecTest}.)
 */
@DisplayName("Exec (runc's command line)")
class ExecDetachedTest extends ExecTestSupport {
    @Test
    @DisplayName("exec --detach --pid-file F: the runtime returns while the process runs; F holds its host pid; it is in every "
            + "namespace and cgroup of the container's process; its parent is the caller's subreaper, not the runtime")
    void detachedExecWritesThePidFile() throws Exception {
        assumeNamespaces();
        Container container = running(sleeper().namespaces("uts", "ipc", "network"));
        long init = container.state().orElseThrow().pid();
        Path pidFile = work.resolve("exec.pid");

        RuntimeUnderTest.Result exec = container.exec(List.of("--detach", "--pid-file", pidFile.toString()), "sleep", "999999");
        assertSucceeded(exec);
        assertTrue(Files.exists(pidFile), "no pid file once exec --detach returned: " + exec);
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        assertTrue(Host.isAlive(pid), "the exec'd process " + pid + " does not live after exec --detach returned");
        awaitCommandLine(pid, List.of("sleep", "999999"));
        assertEquals(Host.namespaces(init), Host.namespaces(pid), "the namespaces of the exec'd process " + pid + " and of the init " + init);
        assertContainersOwn(init);
        assertEquals(Host.cgroups(init), Host.cgroups(pid), "the cgroups of the exec'd process " + pid + " and of the init " + init);
        // The runtime has exited, so the orphan went to the nearest subreaper above it: this JVM (as it goes to
        // conmon or containerd's shim), which can wait for it. A process left below a runtime's daemon could not be.
        assertEquals(ProcessHandle.current().pid(), Host.parent(pid).orElseThrow(),
                "the parent of the exec'd process " + pid + " is the caller's subreaper (the test JVM)");
        RuntimeUnderTest.Result ps = container.psJson();
        assertSucceeded(ps);
        List<Long> listed = new ArrayList<>();
        JSON.readTree(ps.out()).forEach(node -> listed.add(node.asLong()));
        assertTrue(listed.contains(pid), "ps --format json lists the exec'd process " + pid + ": " + ps.out());
        assertEquals("running", container.status());
        endAndReap(pid);
    }

    @Test
    @DisplayName("exec --detach --pid-file in a directory that does not exist fails (a non-zero exit) and leaves no process")
    void execWithAPidFileThatCannotBeWrittenFails() throws Exception {
        Container container = running(sleeper());
        long init = container.state().orElseThrow().pid();
        List<String> command = uniqueSleep();
        Path pidFile = work.resolve("no-such-directory").resolve("exec.pid");

        assertFailed(container.exec(List.of("--detach", "--pid-file", pidFile.toString()), command.toArray(String[]::new)));
        await("the process of the failed exec to end").atMost(Container.TIMEOUT).pollInterval(Duration.ofMillis(50))
                .until(() -> Host.processesIn(Host.namespace(init, "pid")).equals(List.of(init)));
        assertEquals(List.of(), Host.processesRunning(command), "processes running " + command + " after the failed exec");
    }

    /**
     * A zombie child of the caller in the container's pid namespace would hold the namespace: when its init is killed,
     * the kernel lets the init finish exiting only once every process of the namespace has been reaped, so the
     * container would stay running, and delete --force fail, until the caller happened to reap a child it was never
     * told about. runc starts the process as its own child and reaps it when the exec fails.
     */
    @Test
    @DisplayName("a failed exec --detach (a program that does not exist, a --cwd that does not exist, a --pid-file that cannot be "
            + "written) leaves no process, not even a zombie for the caller to reap, and delete --force then succeeds")
    void failedDetachedExecLeavesNoZombie() throws Exception {
        Path pidFile = work.resolve("no-such-directory").resolve("exec.pid");
        assertAll(Stream.of(new Attempt(List.of("--detach"), List.of("no-such-program")),
                new Attempt(List.of("--detach", "--cwd", "/no/such/directory"), List.of("true")),
                new Attempt(List.of("--detach", "--pid-file", pidFile.toString()), List.of("sleep", "999996"))).map(attempt -> () -> {
                    Container container = running(sleeper());
                    Container.Footprint footprint = container.footprint();
                    assertFailed(container.exec(attempt.options(), attempt.command().toArray(String[]::new)));
                    List<Long> left = new ArrayList<>(Host.processesOrZombiesIn(footprint.pidNamespace()));
                    left.remove(footprint.pid());
                    try {
                        assertEquals(List.of(), left.stream().map(pid -> pid + " " + Host.state(Path.of("/proc", Long.toString(pid))).orElse('?')
                                + " (parent " + Host.parent(pid).orElse(0L) + ")").toList(),
                                "processes or zombies left in the container's pid namespace by exec " + attempt);
                        assertSucceeded(container.forceDelete());
                        footprint.assertGone();
                    } finally {
                        left.forEach(ExecTestSupport::endAndReapIfAdopted); // so that the cleanup's delete --force works
                    }
                }));
    }

    /** One exec: its options and its command. */
    private record Attempt(List<String> options, List<String> command) {}

    @Test
    @DisplayName("exec --detach: the process's stdout and stderr are the runtime's, and it keeps writing to them after "
            + "the runtime returned")
    void detachedExecKeepsTheCallersStdio() throws Exception {
        Container container = running(sleeper().mount("/tmp", "tmpfs", "tmpfs", "size=1m"));
        Path out = work.resolve("detached.out");
        Path err = work.resolve("detached.err");
        Path pidFile = work.resolve("exec.pid");

        RuntimeUnderTest.Result exec = cli.run(out, err, List.of("exec", "--detach", "--pid-file", pidFile.toString(), container.id(),
                "sh", "-c", "echo before; while [ ! -e /tmp/go ]; do sleep 0.05; done; echo after; echo after on stderr >&2"));
        assertSucceeded(exec);
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        assertTrue(Host.isAlive(pid), "the exec'd process " + pid + " waits for /tmp/go");
        assertSucceeded(container.exec("touch", "/tmp/go"));
        await("the detached process to write after the runtime returned").atMost(Container.TIMEOUT).pollInterval(Duration.ofMillis(50))
                .until(() -> Files.readString(out).equals("before\nafter\n") && Files.readString(err).endsWith("after on stderr\n"));
        endAndReapIfAdopted(pid);
    }

    @Test
    @DisplayName("exec --pid-file and --process with relative paths: from the caller's working directory")
    void relativePathsAreTheCallers() throws Exception {
        Container container = running(sleeper());
        Path dir = Files.createDirectories(work.resolve("caller"));
        ObjectNode process = JSON.createObjectNode().put("terminal", false).put("cwd", "/");
        process.putObject("user").put("uid", 0).put("gid", 0);
        List<String> command = uniqueSleep();
        command.forEach(process.putArray("args")::add);
        process.putArray("env").add("PATH=/bin:/usr/bin");
        JSON.writeValue(dir.resolve("process.json").toFile(), process);

        RuntimeUnderTest.Result exec = runThroughShell("cd " + quoted(dir),
                List.of("exec", "--detach", "--pid-file", "exec.pid", "--process", "process.json", container.id()));
        assertSucceeded(exec);
        assertTrue(Files.exists(dir.resolve("exec.pid")), "no exec.pid in the caller's working directory " + dir + ": " + exec);
        long pid = Long.parseLong(Files.readString(dir.resolve("exec.pid")).strip());
        awaitCommandLine(pid, command);
        endAndReapIfAdopted(pid);
    }
}
