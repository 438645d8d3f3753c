package dev.jrun.conformance;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * runtime.md, kill: the signal reaches the container process. PID 1 is a busybox sh that traps the
 * signal and prints which one it caught, then exits, so the test waits for "stopped" in the
 * runtime's state and reads the container's stdout.
 *
 * <p>The kernel drops a signal sent to a pid namespace's init that has no handler for it (only
 * SIGKILL and SIGSTOP are forced), and the shell installs its trap only once it runs, a moment after
 * {@code start} returned. A signal sent in that moment is lost, not queued, so these tests repeat it
 * while they wait for "stopped": every repetition after the trap exists ends the container.
 */
@DisplayName("Signals (runtime.md, kill)")
class SignalsTest extends ContainerTestSupport {

    @ParameterizedTest(name = " — SIG{0}")
    @ValueSource(strings = {"HUP", "INT", "USR1", "USR2", "TERM"})
    @DisplayName("kill: \"This operation MUST send the specified signal to the container process\"")
    void killSendsTheSignalToTheContainerProcess(String signal) throws Exception {
        Container container = container(bundle(config().sh(
                "trap 'echo caught " + signal + "; exit 0' " + signal + "; sleep 1000 & wait; echo the wait ended without the signal")));
        container.started();
        repeatUntilStopped(container, c -> c.kill(signal));
        assertEquals("caught " + signal + "\n", container.stdout());
    }

    @Test
    @DisplayName("kill: SIGKILL ends the container process even when it ignores every other signal")
    void sigkillAlwaysEndsIt() throws Exception {
        Container container = container(bundle(config().sh("trap '' HUP INT QUIT TERM USR1 USR2; sleep 1000 & wait")));
        container.started();
        Container.Footprint footprint = container.footprint();
        assertSucceeded(container.kill("KILL"));
        container.awaitStatus("stopped");
        assertEquals(List.of(), Host.processesIn(footprint.pidNamespace()), "processes of the container are left");
    }

    @Test
    @DisplayName("kill --all (runc's command line): the signal reaches every process of the container, not only the container process")
    void killAllReachesEveryProcess() throws Exception {
        // The children take TERM's default action; PID 1 ignores TERM (the trap comes after the children
        // are forked, so they do not inherit it) and ends only once both children are gone.
        Container container = container(bundle(config().sh("sleep 1000 & sleep 1000 & trap '' TERM; wait; echo the children ended")));
        container.started();
        Container.Footprint footprint = container.footprint();
        repeatUntilStopped(container, c -> c.killAll("TERM"));
        assertEquals("the children ended\n", container.stdout());
        assertEquals(List.of(), Host.processesIn(footprint.pidNamespace()), "processes of the container are left");
    }

    /** The container process of the kill --all tests in a sandbox: a shell waiting for its background child. */
    private static final String SHELL_AND_CHILD = "sleep 1000 & wait";

    /**
     * The defect guarded against: a runtime whose {@code kill --all} signalled every process in its
     * caller's pid namespace when the container had no pid namespace of its own. The runtime therefore
     * runs in a {@link Sandbox}, a throwaway pid namespace with a bystander process in it, so that a
     * runtime with the defect kills the bystander (and the test fails) and nothing outside.
     *
     * <p>The container shares the sandbox's pid namespace, so its processes cannot be told from the
     * others by namespace. runc finds them in the container's cgroup and signals exactly those. A runtime
     * that has no such means may instead refuse {@code kill --all} of such a container, with an error and
     * without signalling anything: that passes too.
     */
    @ParameterizedTest(name = " — SIG{0}")
    @ValueSource(strings = {"KILL", "TERM"})
    @DisplayName("kill --all (runc's command line) of a container without a pid namespace of its own: the signal reaches every "
            + "process of the container and no other process; or, for a runtime that cannot tell the container's processes from "
            + "the others in the namespace, kill --all fails and signals nothing")
    void killAllWithoutAPidNamespaceOfItsOwn(String signal) throws Exception {
        try (Sandbox sandbox = Sandbox.open(work.resolve("sandbox"))) {
            Container container = unmanagedContainer(sandbox.runtime(cli),
                    bundle(config().withoutNamespace("pid").sh(SHELL_AND_CHILD)), freshId());
            try (container) {
                ShellAndChild processes = startAndSettle(sandbox, container);
                RuntimeUnderTest.Result kill = container.killAll(signal);
                assertBystanderUntouched(sandbox, kill);
                if (kill.succeeded()) {
                    awaitGone(sandbox, processes, kill);
                    container.awaitStatus("stopped");
                } else {
                    assertTrue(sandbox.sleeps(processes.shell(), "sh") && sandbox.sleeps(processes.child(), "sleep"),
                            "kill --all failed, yet it signalled processes of the container " + processes + ": " + kill
                                    + "; the sandbox's processes: " + sandbox.processes());
                    assertEquals("running", container.status(), "kill --all failed, yet the container is not running");
                }
                assertBystanderUntouched(sandbox, kill);
            }
        }
    }

    @Test
    @DisplayName("kill --all (runc's command line) of a container with a pid namespace of its own: SIGKILL ends every process "
            + "of the container (its init and the init's child) and no other process")
    void killAllWithAPidNamespaceOfItsOwn() throws Exception {
        try (Sandbox sandbox = Sandbox.open(work.resolve("sandbox"))) {
            Container container = unmanagedContainer(sandbox.runtime(cli), bundle(config().sh(SHELL_AND_CHILD)), freshId());
            try (container) {
                ShellAndChild processes = startAndSettle(sandbox, container);
                RuntimeUnderTest.Result kill = container.killAll("KILL");
                assertBystanderUntouched(sandbox, kill);
                assertSucceeded(kill);
                awaitGone(sandbox, processes, kill);
                container.awaitStatus("stopped");
                assertBystanderUntouched(sandbox, kill);
            }
        }
    }

    /** The container's processes, by their pids in the sandbox. */
    private record ShellAndChild(long shell, long child) {}

    /**
     * Starts the container ({@link #SHELL_AND_CHILD}) and waits until its shell and the shell's child are
     * both asleep, which {@link Sandbox#sleeps} needs to tell later whether a signal reached them.
     */
    private static ShellAndChild startAndSettle(Sandbox sandbox, Container container) throws Exception {
        container.started();
        long shell = container.state().orElseThrow().pid();
        long child = await("the shell " + shell + " of container " + container.id() + " and its child to be asleep")
                .atMost(Container.TIMEOUT).pollInterval(Duration.ofMillis(50))
                .until(() -> sandbox.children(shell).stream().filter(pid -> sandbox.sleeps(pid, "sleep")).findFirst()
                        .filter(pid -> sandbox.sleeps(shell, "sh")), Optional::isPresent)
                .orElseThrow();
        return new ShellAndChild(shell, child);
    }

    private static void assertBystanderUntouched(Sandbox sandbox, RuntimeUnderTest.Result kill) {
        assertTrue(sandbox.sleeps(sandbox.bystander(), "sleep"), "the bystander " + sandbox.bystander()
                + ", a process of no container, was signalled: " + kill + "; the sandbox's processes: " + sandbox.processes());
    }

    private static void awaitGone(Sandbox sandbox, ShellAndChild processes, RuntimeUnderTest.Result kill) {
        await("every process of the container " + processes + " to end after " + kill).atMost(Container.TIMEOUT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> !sandbox.isAlive(processes.shell()) && !sandbox.isAlive(processes.child()));
    }

    /** Sends the signal (which must succeed while the container runs) until the container has stopped. */
    private static void repeatUntilStopped(Container container, Signaller signaller) {
        await("container " + container.id() + " to stop on the signal").atMost(Container.TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    RuntimeUnderTest.Result sent = signaller.send(container);
                    String status = container.status();
                    if (!status.equals("stopped")) {
                        assertSucceeded(sent);
                    }
                    return status.equals("stopped");
                });
    }

    @FunctionalInterface
    private interface Signaller {
        RuntimeUnderTest.Result send(Container container) throws Exception;
    }
}
