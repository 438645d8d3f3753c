package dev.jrun.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every container test shares: the runtime under test and its features, a --root and bundles
 * of the test's own (in a temporary directory), and the cleanup of every container the test made,
 * each force-deleted by its exact id.
 */
@ExtendWith(KnownBug.Condition.class)
@TestMethodOrder(MethodOrderer.DisplayName.class)
abstract class ContainerTestSupport {
    private static final AtomicInteger IDS = new AtomicInteger();

    static RuntimeUnderTest runtime;
    static Features features;

    @TempDir
    Path work;

    /** The runtime with this test's own --root. */
    RuntimeUnderTest cli;

    private final List<Container> made = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger bundles = new AtomicInteger();
    private Set<String> namespacesBefore;

    @BeforeAll
    static void runtimeUnderTest() {
        runtime = RuntimeUnderTest.fromSystemProperties();
        features = Features.of(runtime);
        Host.becomeSubreaper();
    }

    @BeforeEach
    void ownRoot() throws IOException {
        cli = runtime.withRoot(Files.createDirectories(work.resolve("root")));
        namespacesBefore = Host.pidNamespacesOfDescendants();
    }

    /**
     * Force-deletes every container of the test by its id, then kills, by exact pid, any process
     * the runtime left behind that the runtime no longer knows (a create that lost a race, say).
     */
    @AfterEach
    void deleteWhatTheTestMade() throws Exception {
        List<Container> all;
        synchronized (made) {
            all = List.copyOf(made);
        }
        for (Container container : all) {
            container.close();
        }
        for (ProcessHandle left : Host.descendantsInNewPidNamespaces(namespacesBefore)) {
            System.err.println("conformance: killing process " + left.pid() + " " + left.info().commandLine().orElse("")
                    + ", left behind by the runtime after its containers were deleted");
            left.destroyForcibly();
        }
    }

    /** A config for the shared rootfs, with the defaults of {@link Bundle.Builder}. */
    static Bundle.Builder config() {
        return Bundle.builder(Rootfs.path());
    }

    /** Writes the config into a new bundle directory of this test. */
    Bundle bundle(Bundle.Builder config) throws IOException {
        return config.writeTo(work.resolve("bundle-" + bundles.incrementAndGet()));
    }

    /**
     * An id no other container of this run has (unique on the host while the run lasts): a runtime
     * names the cgroup of a container without cgroupsPath after its id, so tests must not share ids.
     */
    static String freshId() {
        return "conformance-" + ProcessHandle.current().pid() + "-" + IDS.incrementAndGet();
    }

    /** A container with a fresh id for this bundle; deleted after the test. */
    Container container(Bundle bundle) {
        return container(bundle, freshId());
    }

    /** A container with this id for this bundle; deleted after the test. */
    Container container(Bundle bundle, String id) {
        return container(cli, bundle, id);
    }

    /** A container of this runtime (another --root, say) with this id for this bundle; deleted after the test. */
    Container container(RuntimeUnderTest runtime, Bundle bundle, String id) {
        Container container = unmanagedContainer(runtime, bundle, id);
        made.add(container);
        return container;
    }

    /**
     * A container that the test itself must close (force-delete), because the runtime it uses works
     * only for a while: one running in a {@link Sandbox} is deleted before the sandbox ends.
     */
    Container unmanagedContainer(RuntimeUnderTest runtime, Bundle bundle, String id) {
        String file = "c" + IDS.incrementAndGet();
        return new Container(runtime, id, bundle, work.resolve(file + ".out"), work.resolve(file + ".err"));
    }

    /**
     * Creates and starts a container from this config, waits until it stopped, and returns its
     * stdout. Its stderr goes to the test's log.
     */
    String runToCompletion(Bundle.Builder config) throws Exception {
        Container container = container(bundle(config));
        assertSucceeded(container.create());
        assertSucceeded(container.start());
        container.awaitStatus("stopped");
        if (!container.stderr().isBlank()) {
            System.err.println("conformance: stderr of " + container.id() + ":\n" + container.stderr().strip());
        }
        return container.stdout();
    }

    /** Skips the test unless the runtime's features list this namespace type. */
    static void assumeNamespace(String type) {
        assumeTrue(features.namespace(type), "the runtime's features do not list the " + type + " namespace");
    }

    static void assertSucceeded(RuntimeUnderTest.Result result) {
        assertEquals(0, result.exitCode(), result.toString());
    }

    static void assertFailed(RuntimeUnderTest.Result result) {
        assertNotEquals(0, result.exitCode(), "must fail: " + result);
    }
}
