package dev.jrun.conformance;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One container id of the runtime under test, driven through the command line. The container's
 * stdout and stderr (inherited from {@code create}) go to files. Closing it deletes it with
 * {@code delete --force} by its exact id, whatever state it is in.
 */
final class Container implements AutoCloseable {
    /** The longest any container takes to reach a state the test waits for. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final RuntimeUnderTest runtime;
    private final String id;
    private final Bundle bundle;
    private final Path stdout;
    private final Path stderr;
    private volatile boolean deleted;

    Container(RuntimeUnderTest runtime, String id, Bundle bundle, Path stdout, Path stderr) {
        this.runtime = runtime;
        this.id = id;
        this.bundle = bundle;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    String id() {
        return id;
    }

    Bundle bundle() {
        return bundle;
    }

    /** {@code create --bundle DIR ID}, with the container's stdout and stderr going to this handle's files. */
    RuntimeUnderTest.Result create() throws IOException, InterruptedException {
        return create(List.of());
    }

    /** {@code create OPTIONS --bundle DIR ID} (runc's options, such as --console-socket PATH). */
    RuntimeUnderTest.Result create(List<String> options) throws IOException, InterruptedException {
        List<String> args = new java.util.ArrayList<>(List.of("create"));
        args.addAll(options);
        args.addAll(List.of("--bundle", bundle.dir().toString(), id));
        return runtime.run(stdout, stderr, args);
    }

    /** create, which must succeed; returns the state it leaves. */
    State created() throws IOException, InterruptedException {
        RuntimeUnderTest.Result create = create();
        assertEquals(0, create.exitCode(), create.toString());
        return state().orElseThrow(() -> new AssertionError("no state after a successful create of " + id));
    }

    /** create and start, which must both succeed. */
    void started() throws IOException, InterruptedException {
        created();
        RuntimeUnderTest.Result start = start();
        assertEquals(0, start.exitCode(), start.toString());
    }

    RuntimeUnderTest.Result start() throws IOException, InterruptedException {
        return runtime.run("start", id);
    }

    RuntimeUnderTest.Result kill(String signal) throws IOException, InterruptedException {
        return runtime.run("kill", id, signal);
    }

    /** runc's {@code kill --all ID SIGNAL}: the signal to every process of the container. */
    RuntimeUnderTest.Result killAll(String signal) throws IOException, InterruptedException {
        return runtime.run("kill", "--all", id, signal);
    }

    /** runc's {@code pause ID}: freezes every process of the container. */
    RuntimeUnderTest.Result pause() throws IOException, InterruptedException {
        return runtime.run("pause", id);
    }

    /** runc's {@code resume ID}: thaws a paused container. */
    RuntimeUnderTest.Result resume() throws IOException, InterruptedException {
        return runtime.run("resume", id);
    }

    /** runc's {@code ps --format json ID}, as containerd's shim runs it for {@code ctr task ps}. */
    RuntimeUnderTest.Result psJson() throws IOException, InterruptedException {
        return runtime.run("ps", "--format", "json", id);
    }

    /** runc's {@code exec [OPTIONS] ID CMD ARGS...}: a new process in the container; the runtime's stdout and stderr captured. */
    RuntimeUnderTest.Result exec(List<String> options, String... command) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>();
        args.add("exec");
        args.addAll(options);
        args.add(id);
        args.addAll(List.of(command));
        return runtime.run(args.toArray(String[]::new));
    }

    /** {@code exec ID CMD ARGS...} without options. */
    RuntimeUnderTest.Result exec(String... command) throws IOException, InterruptedException {
        return exec(List.of(), command);
    }

    RuntimeUnderTest.Result delete() throws IOException, InterruptedException {
        return deleted(runtime.run("delete", id));
    }

    RuntimeUnderTest.Result forceDelete() throws IOException, InterruptedException {
        return deleted(runtime.run("delete", "--force", id));
    }

    private RuntimeUnderTest.Result deleted(RuntimeUnderTest.Result delete) {
        deleted |= delete.succeeded();
        return delete;
    }

    RuntimeUnderTest.Result stateResult() throws IOException, InterruptedException {
        return runtime.run("state", id);
    }

    /** The runtime's state of this container, or empty when {@code state} fails. */
    Optional<State> state() throws IOException, InterruptedException {
        return State.from(stateResult());
    }

    /** The status field of the state, or "absent" when {@code state} fails. */
    String status() throws IOException, InterruptedException {
        return state().map(State::status).orElse("absent");
    }

    /** Waits (bounded), polling the runtime's state, until the status is this one. */
    State awaitStatus(String status) {
        await("container " + id + " to be " + status).atMost(TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(this::status, status::equals);
        return stateNow();
    }

    /** What the container wrote on its stdout so far. */
    String stdout() {
        return read(stdout);
    }

    /** What the container (and the runtime's create) wrote on stderr so far. */
    String stderr() {
        return read(stderr);
    }

    /** What the runtime made for this container that must be gone after delete; taken while it exists. */
    Footprint footprint() throws IOException, InterruptedException {
        State state = stateNow();
        String pidNamespace = Host.namespace(state.pid(), "pid");
        assertNotNull(pidNamespace, "the container's process " + state.pid() + " is gone");
        return new Footprint(runtime, id, state.pid(), pidNamespace, bundle.dir(), Rootfs.path());
    }

    private State stateNow() {
        try {
            return state().orElseThrow(() -> new AssertionError("state " + id + " failed"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Force-deletes the container by its exact id, unless the test deleted it already. The result is
     * not checked: the container may never have been created.
     */
    @Override
    public void close() throws IOException, InterruptedException {
        if (!deleted) {
            forceDelete();
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What a created container consists of, as seen from outside: its id in the runtime's root, its
     * process (and the pid namespace it heads) and the mounts of its root filesystem.
     */
    record Footprint(RuntimeUnderTest runtime, String id, long pid, String pidNamespace, Path bundle, Path rootfs) {
        /** Asserts that nothing of it is left: no state, no entry in --root, no process, no mount. */
        void assertGone() throws IOException, InterruptedException {
            RuntimeUnderTest.Result state = runtime.run("state", id);
            assertTrue(!state.succeeded(), "state must fail once the container is deleted: " + state.out());
            assertEquals(List.of(), entries(runtime.root()), "the runtime's --root still has entries");
            assertEquals(List.of(), Host.processesIn(pidNamespace), "processes of the container are left (pid namespace " + pidNamespace + ")");
            assertTrue(!Host.isAlive(pid), "the container's process " + pid + " is alive");
            assertEquals(List.of(), Host.mountPointsUnder(rootfs), "mounts are left under the rootfs");
            assertEquals(List.of(), Host.mountPointsUnder(bundle), "mounts are left under the bundle");
        }

        static List<String> entries(Path dir) throws IOException {
            if (!Files.isDirectory(dir)) {
                return List.of();
            }
            try (var list = Files.list(dir)) {
                return list.map(p -> p.getFileName().toString()).sorted().toList();
            }
        }
    }
}
