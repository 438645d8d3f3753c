package dev.jrun.conformance;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
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
