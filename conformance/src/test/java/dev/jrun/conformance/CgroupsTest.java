package dev.jrun.conformance;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * config-linux.md "Control groups", checked from the host: an absolute cgroupsPath is where the container's process
 * is, linux.resources are in that cgroup's controller files, and delete removes the cgroup create made (runtime.md:
 * "Deleting a container MUST delete the resources that were created during the create step"). Each test's cgroup has
 * a name no other cgroup on the host has; it is removed after the test, by its exact path, if the runtime left it.
 */
@DisplayName("Control groups (config-linux.md)")
class CgroupsTest extends ContainerTestSupport {
    private static final AtomicInteger PATHS = new AtomicInteger();
    private static final long MEMORY_LIMIT = 50_331_648;
    private static final long PIDS_LIMIT = 42;

    private final Cgroupfs cgroupfs = Cgroupfs.read();
    private final List<Container> containers = new ArrayList<>();
    private String path;

    @BeforeEach
    void aCgroupfsTheTestCanUse() {
        assumeTrue(cgroupfs.holding("memory").isPresent() && cgroupfs.holding("pids").isPresent(),
                "no writable memory and pids controllers here: " + cgroupfs.mounts());
        String version = cgroupfs.v1Controllers() ? "v1" : "v2";
        assumeTrue(features.cgroup(version), "the runtime's features do not claim cgroup " + version);
        path = "/conformance-cgroups-" + ProcessHandle.current().pid() + "-" + PATHS.incrementAndGet();
        assertFalse(exists(path), path + " exists already");
    }

    /** The containers first (a cgroup with a process in it cannot be removed), then what the runtime left of the path. */
    @AfterEach
    void removeTheCgroup() throws Exception {
        for (Container container : containers) {
            container.close();
        }
        for (Cgroupfs.Hierarchy hierarchy : cgroupfs.mounts()) {
            if (hierarchy.root().equals("/") && !hierarchy.readOnly()) {
                Path directory = hierarchy.directory(path);
                await("removing " + directory).atMost(Container.TIMEOUT).pollInterval(Duration.ofMillis(50))
                        .ignoreExceptionsInstanceOf(FileSystemException.class)
                        .until(() -> {
                            Files.deleteIfExists(directory);
                            return true;
                        });
            }
        }
    }

    private Container limited() throws Exception {
        Container container = container(bundle(config().sh("sleep 1000").edit(c -> {
            ObjectNode linux = (ObjectNode) c.get("linux");
            linux.put("cgroupsPath", path);
            ObjectNode resources = linux.putObject("resources");
            resources.putObject("memory").put("limit", MEMORY_LIMIT);
            resources.putObject("pids").put("limit", PIDS_LIMIT);
        })));
        containers.add(container);
        return container;
    }

    private boolean exists(String cgroupPath) {
        return cgroupfs.mounts().stream().anyMatch(h -> h.root().equals("/") && Files.isDirectory(h.directory(cgroupPath)));
    }

    @Test
    @DisplayName("cgroupsPath: \"in the case of an absolute path (starting with /), the runtime MUST take the path to be relative to "
            + "the cgroups mount point\"; the container's process is in that cgroup")
    void anAbsoluteCgroupsPathIsWhereTheProcessIs() throws Exception {
        long pid = limited().created().pid();
        for (String controller : List.of("memory", "pids")) {
            Cgroupfs.Hierarchy hierarchy = cgroupfs.holding(controller).orElseThrow();
            assertEquals(path, Cgroupfs.pathOf(pid, hierarchy).orElse("(none)"), "/proc/" + pid + "/cgroup, " + controller);
            assertTrue(Files.isDirectory(hierarchy.directory(path)), hierarchy.directory(path) + " exists");
        }
    }

    @Test
    @DisplayName("resources: the memory limit and the pids limit are in the container's cgroup files")
    void theMemoryAndPidsLimitsAreInTheCgroupFiles() throws Exception {
        limited().created();
        Path memory = cgroupfs.holding("memory").orElseThrow().directory(path);
        Path pids = cgroupfs.holding("pids").orElseThrow().directory(path);
        Map<Path, String> expected = cgroupfs.v1Controllers()
                ? Map.of(memory.resolve("memory.limit_in_bytes"), Long.toString(MEMORY_LIMIT), pids.resolve("pids.max"), Long.toString(PIDS_LIMIT))
                : Map.of(memory.resolve("memory.max"), Long.toString(MEMORY_LIMIT), pids.resolve("pids.max"), Long.toString(PIDS_LIMIT));
        for (var file : expected.entrySet()) {
            assertEquals(file.getValue(), Files.readString(file.getKey()).strip(), file.getKey().toString());
        }
    }

    @Test
    @DisplayName("delete: \"Deleting a container MUST delete the resources that were created during the create step\": "
            + "the cgroups create made are gone")
    void deleteRemovesTheCgroupsCreateMade() throws Exception {
        Container container = limited();
        container.created();
        List<Path> made = cgroupfs.mounts().stream().filter(h -> h.root().equals("/")).map(h -> h.directory(path))
                .filter(Files::isDirectory).toList();
        assertFalse(made.isEmpty(), "create made " + path + " somewhere");
        assertSucceeded(container.kill("KILL"));
        container.awaitStatus("stopped");
        assertSucceeded(container.delete());
        assertEquals(List.of(), made.stream().filter(Files::isDirectory).toList(), "cgroups left after delete");
    }
}
