package dev.jrun.state;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.error.JrunException;
import dev.jrun.testing.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The id lock between the threads of one JVM, as the jrun server's requests take it: the second thread waits
 * for the first (no OverlappingFileLockException), and the file lock that other processes see is held without a
 * gap the whole time (a second channel opened and closed on the file would have dropped it: POSIX record locks
 * belong to the process).
 */
class StateStoreThreadsTest {
    @TempDir
    Path root;

    /** Whether another process can take the POSIX lock on file right now (python's lockf is fcntl(F_SETLK), as the JDK's). */
    private static boolean otherProcessCanLock(Path file) throws Exception {
        Command.Result result = Command.of("python3", "-c",
                "import fcntl, sys\nf = open(sys.argv[1], 'r+')\ntry:\n    fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)\nexcept OSError:\n    sys.exit(3)",
                file.toString()).run(Duration.ofSeconds(30));
        assertTrue(result.code() == 0 || result.code() == 3, result.transcript());
        return result.code() == 0;
    }

    @Test
    void twoThreadsOnOneIdTakeTurnsAndTheFileLockNeverLapses() throws Exception {
        Files.createDirectory(root.resolve("one"));
        Path lockFile = root.resolve("one").resolve(StateStore.LOCK_FILE);
        // Two stores, two spellings of the root: one key all the same.
        StateStore first = new StateStore(root);
        StateStore second = new StateStore(root.resolve("..").resolve(root.getFileName()));

        ContainerLock held = first.lock("one");
        CountDownLatch secondHasIt = new CountDownLatch(1);
        CountDownLatch secondMayRelease = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread waiter = Thread.ofPlatform().start(() -> {
            try (ContainerLock _ = second.lock("one")) {
                secondHasIt.countDown();
                secondMayRelease.await();
            } catch (Throwable e) {
                failure.set(e);
                secondHasIt.countDown();
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> waiter.getState() == Thread.State.TIMED_WAITING);
        assertEquals(1, secondHasIt.getCount(), "the second thread waits while the first holds the id");
        assertTrue(Files.exists(lockFile));
        assertTrue(!otherProcessCanLock(lockFile), "held by the first thread: other processes are kept out");

        held.close();
        assertTrue(secondHasIt.await(10, java.util.concurrent.TimeUnit.SECONDS));
        assertNull(failure.get());
        assertTrue(!otherProcessCanLock(lockFile), "held by the second thread now: still no gap for other processes");

        secondMayRelease.countDown();
        waiter.join();
        assertTrue(otherProcessCanLock(lockFile), "released by both");
    }

    @Test
    void twoThreadsReservingOneIdGetOneContainer() throws Exception {
        StateStore store = new StateStore(root);
        List<CompletableFuture<Object>> attempts = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        for (int i = 0; i < 2; i++) {
            attempts.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                    try (ContainerLock _ = store.reserve(state("twin"))) {
                        return "reserved";
                    }
                } catch (JrunException e) {
                    return e;
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, runnable -> Thread.ofPlatform().start(runnable)));
        }
        start.countDown();
        List<Object> outcomes = attempts.stream().map(CompletableFuture::join).toList();
        assertEquals(1, outcomes.stream().filter("reserved"::equals).count(), outcomes.toString());
        Object other = outcomes.stream().filter(o -> !"reserved".equals(o)).findFirst().orElseThrow();
        assertInstanceOf(JrunException.AlreadyExists.class, other);
        assertEquals(List.of("twin"), store.ids());
    }

    @Test
    void reservingDifferentIdsInParallelSweepsNoneOfTheOthersStaging() throws Exception {
        StateStore store = new StateStore(root);
        List<CompletableFuture<String>> attempts = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        for (int i = 0; i < 8; i++) {
            String id = "c" + i;
            attempts.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                    try (ContainerLock _ = store.reserve(state(id))) {
                        return id;
                    }
                } catch (JrunException | InterruptedException e) {
                    return e.toString();
                }
            }, runnable -> Thread.ofPlatform().start(runnable)));
        }
        start.countDown();
        List<String> reserved = attempts.stream().map(CompletableFuture::join).sorted().toList();
        assertEquals(List.of("c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7"), reserved);
        assertEquals(reserved, store.ids());
        for (String id : reserved) {
            assertNotEquals(null, store.read(id));
        }
    }

    private static ContainerState state(String id) {
        return new ContainerState("1.2.0", id, 0, 0, ProcessHandle.current().pid(), 1, "/bundle", "/bundle/rootfs",
                "2025-01-01T00:00:00Z", null, Phase.CREATING, null, null, null);
    }
}
