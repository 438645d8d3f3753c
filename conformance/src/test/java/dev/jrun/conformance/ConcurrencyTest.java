package dev.jrun.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Many containers at once, and operations racing on one id. The runtime is called from a bounded
 * pool of threads; every call is a separate process of the runtime, as with real callers.
 */
@DisplayName("Concurrency")
class ConcurrencyTest extends ContainerTestSupport {
    private static final int CONTAINERS = 50;
    private static final int THREADS = Integer.getInteger("conformance.threads", 8);
    private static final int ROUNDS = 3;

    @Test
    @DisplayName("50 containers created and started in parallel (8 at a time) each reach running and are deleted")
    void manyContainersInParallel() throws Exception {
        Bundle bundle = bundle(config().args("sleep", "1000"));
        List<Callable<Void>> lifecycles = new ArrayList<>();
        for (int i = 0; i < CONTAINERS; i++) {
            Container container = container(bundle);
            lifecycles.add(() -> {
                assertSucceeded(container.create());
                assertSucceeded(container.start());
                assertEquals("running", container.status(), container.id());
                assertSucceeded(container.forceDelete());
                return null;
            });
        }
        runAll(lifecycles, THREADS);
        assertEquals(List.of(), Container.Footprint.entries(cli.root()), "the runtime's --root has entries left");
    }

    @Test
    @DisplayName("create: \"If the ID provided is not unique [...] the implementation MUST generate an error and a new container "
            + "MUST NOT be created\" — two creates of one id at once: exactly one wins, the other fails and leaves nothing")
    void twoCreatesOfOneIdAtOnce() throws Exception {
        Bundle bundle = bundle(config().args("sleep", "1000"));
        for (int round = 0; round < ROUNDS; round++) {
            Container first = container(bundle);
            Container second = container(bundle, first.id());
            Set<String> namespaces = Host.pidNamespacesOfDescendants();
            List<RuntimeUnderTest.Result> creates = together(first::create, second::create);
            assertEquals(1, creates.stream().filter(RuntimeUnderTest.Result::succeeded).count(), "exactly one create succeeds: " + creates);
            State state = first.state().orElseThrow(() -> new AssertionError("no state after the winning create"));
            assertEquals("created", state.status());
            assertTrue(Host.isAlive(state.pid()), "the winner's process");
            assertEquals(Set.of(Host.namespace(state.pid(), "pid")), Host.newPidNamespacesSince(namespaces),
                    "processes other than the winner's were left");
            assertEquals(List.of(first.id()), Container.Footprint.entries(cli.root()));
            assertSucceeded(first.forceDelete());
        }
    }

    @Test
    @DisplayName("delete --force racing start on one id: afterwards the container is either gone entirely or has a valid state")
    void forceDeleteRacingStart() throws Exception {
        Bundle bundle = bundle(config().args("sleep", "1000"));
        for (int round = 0; round < ROUNDS; round++) {
            Container container = container(bundle);
            container.created();
            Container.Footprint footprint = container.footprint();
            List<RuntimeUnderTest.Result> results = together(container::start, container::forceDelete);
            if (results.get(1).succeeded()) {
                footprint.assertGone();
            } else {
                State state = container.state().orElseThrow(() -> new AssertionError("delete --force failed, yet state fails: " + results));
                assertTrue(Set.of("created", "running", "stopped").contains(state.status()), "status " + state.json());
                assertSucceeded(container.forceDelete());
                footprint.assertGone();
            }
        }
    }

    /** Runs the calls at the same moment (a barrier releases both threads at once) and returns their results in order. */
    private static List<RuntimeUnderTest.Result> together(Callable<RuntimeUnderTest.Result> a, Callable<RuntimeUnderTest.Result> b)
            throws Exception {
        CyclicBarrier barrier = new CyclicBarrier(2);
        List<Callable<RuntimeUnderTest.Result>> calls = List.of(a, b);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<RuntimeUnderTest.Result>> futures = new ArrayList<>();
            for (Callable<RuntimeUnderTest.Result> call : calls) {
                futures.add(pool.submit(() -> {
                    barrier.await(RuntimeUnderTest.CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    return call.call();
                }));
            }
            List<RuntimeUnderTest.Result> results = new ArrayList<>();
            for (Future<RuntimeUnderTest.Result> future : futures) {
                results.add(future.get(2 * RuntimeUnderTest.CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Runs the tasks on a pool of this many threads; the first failure fails the test. */
    private static void runAll(List<Callable<Void>> tasks, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Void>> futures = new ArrayList<>();
            for (Callable<Void> task : tasks) {
                futures.add(pool.submit(task));
            }
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            for (Future<Void> future : futures) {
                try {
                    future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof Error error) {
                        throw error;
                    }
                    throw e;
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
