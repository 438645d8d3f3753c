package dev.jrun.conformance;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * runc's pause and resume, which the OCI runtime spec does not have but podman and containerd call: pause freezes
 * every process of a created or running container and its state says "paused" until resume. The tests follow runc's
 * rules (libcontainer's Pause and Resume, runc's kill and delete): pause needs created or running, resume needs
 * paused, kill and delete --force act on a paused container. Skipped for a runtime without a {@code pause} command.
 */
@DisplayName("Pause and resume (runc's command line)")
class PauseTest extends ContainerTestSupport {
    /** Prints a growing count twenty times a second: the length of its stdout shows whether it runs. */
    private static final String COUNTER = "i=0; while :; do i=$((i+1)); echo $i; sleep 0.05; done";
    private static final Duration STILL = Duration.ofMillis(600);

    @BeforeEach
    void runtimeHasPause() throws Exception {
        RuntimeUnderTest.Result help = cli.run("pause", "--help");
        assumeTrue(help.succeeded(), "the runtime has no pause command: " + help);
    }

    private Container startedCounter() throws Exception {
        Container container = container(bundle(config().sh(COUNTER)));
        container.started();
        return container;
    }

    private static void awaitOutputGrowing(Container container) {
        int before = container.stdout().length();
        await("container " + container.id() + " to print").atMost(Container.TIMEOUT).pollInterval(Duration.ofMillis(50))
                .until(() -> container.stdout().length() > before);
    }

    private static void assertOutputStill(Container container) {
        int at = container.stdout().length();
        await("container " + container.id() + " to print nothing while paused").during(STILL).atMost(Container.TIMEOUT)
                .pollInterval(Duration.ofMillis(50)).until(() -> container.stdout().length() == at);
    }

    @Test
    @DisplayName("pause: the container's processes stop running and its status is paused; resume: they run again and it is running")
    void pauseStopsItsProcessesUntilResume() throws Exception {
        Container container = startedCounter();
        awaitOutputGrowing(container);
        long pid = container.state().orElseThrow().pid();
        assertSucceeded(container.pause());
        State paused = container.state().orElseThrow();
        assertEquals("paused", paused.status());
        assertEquals(pid, paused.pid(), "a paused container keeps its pid");
        assertOutputStill(container);
        assertSucceeded(container.resume());
        assertEquals("running", container.status());
        awaitOutputGrowing(container);
    }

    @Test
    @DisplayName("pause of a created container: it is paused, start is refused, and resume leaves it created")
    void aCreatedContainerCanBePaused() throws Exception {
        Container container = container(bundle(config().sh(COUNTER)));
        container.created();
        assertSucceeded(container.pause());
        assertEquals("paused", container.status());
        assertFailed(container.start());
        assertSucceeded(container.resume());
        assertEquals("created", container.status());
        assertSucceeded(container.start());
        awaitOutputGrowing(container);
    }

    @Test
    @DisplayName("pause of a paused container, resume of a running one and delete (without --force) of a paused one fail and change nothing")
    void wrongStatusesAreRefused() throws Exception {
        Container container = startedCounter();
        assertFailed(container.resume());
        assertEquals("running", container.status());
        assertSucceeded(container.pause());
        assertFailed(container.pause());
        assertFailed(container.delete());
        assertEquals("paused", container.status());
        assertOutputStill(container);
    }

    @Test
    @DisplayName("kill SIGKILL of a paused container ends it")
    void sigkillEndsAPausedContainer() throws Exception {
        Container container = startedCounter();
        assertSucceeded(container.pause());
        assertSucceeded(container.kill("KILL"));
        container.awaitStatus("stopped");
    }

    @Test
    @DisplayName("delete --force of a paused container removes it and leaves no process")
    void forceDeleteOfAPausedContainer() throws Exception {
        Container container = container(bundle(config().sh("sleep 1000 & " + COUNTER)));
        container.started();
        Container.Footprint footprint = container.footprint();
        assertSucceeded(container.pause());
        assertSucceeded(container.forceDelete());
        footprint.assertGone();
    }
}
