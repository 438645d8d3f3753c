package dev.jrun.conformance;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * runc's {@code exec} and signals: a foreground exec forwards the signals it gets to its process, and
 * {@code delete --force} ends the processes exec'd into a container that has no pid namespace of its own. Each test
 * runs the runtime in a {@link Sandbox}, so that a runtime that signalled more than its container's processes could
 * hit nothing outside it, and the sandbox's bystander shows whether it did. (Same area as {@link ExecTest}.)
 */
@DisplayName("Exec (runc's command line)")
class ExecSignalsTest extends ExecTestSupport {
    /**
     * Without a pid namespace of its own, the container's processes do not end with its init: the runtime finds them
     * in the container's cgroups (runc 1.1.5 signals every member of them with SIGKILL). Run in a {@link Sandbox}, as
     * the container shares the pid namespace of the runtime, so that a runtime that killed more could hit nothing
     * outside, and the bystander shows it.
     */
    @Test
    @DisplayName("delete --force of a container without a pid namespace of its own ends the processes exec'd into it too "
            + "(they are in its cgroups), and no other process")
    void forceDeleteEndsExecdProcessesWithoutAPidNamespace() throws Exception {
        try (Sandbox sandbox = Sandbox.open(work.resolve("sandbox"))) {
            Container container = unmanagedContainer(sandbox.runtime(cli), bundle(sleeper().withoutNamespace("pid")), freshId());
            try (container) {
                container.started();
                Path pidFile = work.resolve("exec.pid");
                RuntimeUnderTest.Result exec = container.exec(List.of("--detach", "--pid-file", pidFile.toString()), "sleep", "999997");
                assertSucceeded(exec);
                long pid = Long.parseLong(Files.readString(pidFile).strip()); // the sandbox's pid: the runtime runs there
                await("the exec'd process " + pid + " to sleep").atMost(Container.TIMEOUT).pollInterval(Duration.ofMillis(50))
                        .until(() -> sandbox.sleeps(pid, "sleep"));
                RuntimeUnderTest.Result delete = container.forceDelete();
                assertSucceeded(delete);
                await("the exec'd process " + pid + " to end on delete --force").atMost(Container.TIMEOUT).pollInterval(Duration.ofMillis(50))
                        .until(() -> !sandbox.isAlive(pid));
                assertTrue(sandbox.sleeps(sandbox.bystander(), "sleep"), "the bystander " + sandbox.bystander()
                        + ", a process of no container, was signalled: " + delete + "; the sandbox's processes: " + sandbox.processes());
            }
        }
    }

    @ParameterizedTest(name = " — SIG{0}")
    // Not QUIT: a runtime on the JVM run as one JVM per command (jrun --no-server) cannot catch it (the JVM keeps it for
    // thread dumps), so QUIT would test the JVM, not the runtime's forwarding; conformance/notes.md.
    @ValueSource(strings = {"TERM", "INT", "HUP", "USR1", "USR2"})
    @DisplayName("exec in the foreground forwards a signal sent to the runtime to the process (it traps it and exits 7), "
            + "and exits with the process's status; no other process is signalled")
    void execForwardsSignalsToTheProcess(String signal) throws Exception {
        assertForwarded(signal);
    }

    /**
     * runc forwards every signal it receives but those it handles itself (SIGCHLD; SIGWINCH, its terminal's size),
     * whatever the signal's default action: its process, not runc, decides what a signal means. One test for the
     * four (each in a sandbox of its own), so that the known bug's mark covers them all.
     */
    @Test
    @DisplayName("exec in the foreground forwards other signals too (SIGALRM, SIGPIPE, SIGVTALRM, SIGCONT), as runc does: "
            + "the runtime is not killed by them, and the process gets them")
    void execForwardsEverySignal() {
        assertAll(Stream.of("ALRM", "PIPE", "VTALRM", "CONT").map(signal -> () -> assertForwarded(signal)));
    }

    /**
     * Runs an exec whose process traps the signal, sends the signal to the runtime, and checks that the process caught
     * it and the runtime exited with the process's status. Run in a {@link Sandbox}, so that a runtime that sent the
     * signal on to more than its process (its process group, or every process it can signal) could hit nothing
     * outside, and the bystander shows it.
     */
    private void assertForwarded(String signal) throws Exception {
        try (Sandbox sandbox = Sandbox.open(work.resolve("sandbox-" + signal))) {
            RuntimeUnderTest inSandbox = sandbox.runtime(cli);
            Container container = unmanagedContainer(inSandbox, bundle(sleeper()), freshId());
            try (container) {
                container.started();
                Path out = work.resolve("exec-" + signal + ".out");
                Path err = work.resolve("exec-" + signal + ".err");
                // nsenter --pid forks: its child, in the sandbox, is the runtime; nsenter exits with its status.
                Process nsenter = inSandbox.start(out, err, List.of("exec", container.id(), "sh", "-c",
                        "trap 'kill $!; echo caught " + signal + "; exit 7' " + signal + "; sleep 1000000 & echo ready; wait; "
                                + "echo the wait ended without the signal"));
                try {
                    await("the exec'd process to set its trap").atMost(Container.TIMEOUT).pollInterval(Duration.ofMillis(50))
                            .until(() -> {
                                assertTrue(nsenter.isAlive(), "the exec ended: " + Files.readString(err));
                                return Files.readString(out).contains("ready");
                            });
                    List<ProcessHandle> runtimeProcess = nsenter.toHandle().children().toList();
                    assertEquals(1, runtimeProcess.size(), "nsenter's children: " + runtimeProcess);
                    signal(runtimeProcess.getFirst().pid(), signal);
                    assertTrue(nsenter.waitFor(Container.TIMEOUT.toSeconds(), TimeUnit.SECONDS), "the exec did not end on SIG" + signal);
                    assertEquals(7, nsenter.exitValue(), "exec's status after SIG" + signal + " (128+N: the signal killed the runtime): "
                            + Files.readString(err));
                    assertEquals("ready\ncaught " + signal + "\n", Files.readString(out));
                    assertTrue(sandbox.sleeps(sandbox.bystander(), "sleep"), "the bystander " + sandbox.bystander()
                            + ", a process of no container, was signalled; the sandbox's processes: " + sandbox.processes());
                    assertEquals("running", container.status());
                } finally {
                    if (nsenter.isAlive()) {
                        nsenter.destroyForcibly();
                    }
                }
            }
        }
    }

    /** kill -s SIGNAL PID, by the exact (host) pid of a process the test started. */
    private static void signal(long pid, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(pid)).redirectErrorStream(true).start();
        assertTrue(kill.waitFor(RuntimeUnderTest.CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS), "kill -s " + signal + " " + pid);
        assertEquals(0, kill.exitValue(), "kill -s " + signal + " " + pid + ": " + new String(kill.getInputStream().readAllBytes()));
    }
}
