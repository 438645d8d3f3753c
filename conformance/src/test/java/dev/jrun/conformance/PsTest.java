package dev.jrun.conformance;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * runc's `ps --format json ID`, which the OCI spec leaves out and containerd's shim relies on (`ctr task ps`): the
 * host pids of the container's processes, as one JSON array (runc prints null for none, Go's empty slice).
 */
@DisplayName("ps --format json (runc's command line, as containerd's shim runs it)")
class PsTest extends ContainerTestSupport {
    private static final Duration LONG = Duration.ofSeconds(20);

    @Test
    @DisplayName("ps --format json: the host pids of the container's processes, the init's first of all while created")
    void psJsonListsTheContainersHostPids() throws Exception {
        Container container = container(bundle(config().sh("sleep 1000 & sleep 1000 & wait")));
        long init = container.created().pid();
        assertEquals(Set.of(init), pids(container), "created: its init alone");

        assertTrue(container.start().succeeded());
        await().atMost(LONG).until(() -> pids(container).size() == 3);
        Set<Long> running = pids(container);
        assertTrue(running.contains(init), running + " holds the init " + init);
        running.forEach(pid -> assertTrue(Host.isAlive(pid), "pid " + pid + " is a live host process"));
    }

    private static Set<Long> pids(Container container) throws Exception {
        RuntimeUnderTest.Result ps = container.psJson();
        assertEquals(0, ps.exitCode(), ps.toString());
        JsonNode json = new ObjectMapper().readTree(ps.out());
        assertTrue(json.isArray() || json.isNull(), "a JSON array (or null for none): " + ps.out());
        Set<Long> pids = new TreeSet<>();
        json.forEach(pid -> {
            assertTrue(pid.isIntegralNumber(), "a pid is a number: " + ps.out());
            pids.add(pid.asLong());
        });
        return pids;
    }
}
