package dev.jrun.lifecycle;

import dev.jrun.error.JrunException;
import dev.jrun.hook.HookFailure;
import dev.jrun.hook.HookKind;
import dev.jrun.hook.HookRunner;
import dev.jrun.init.StartConnection;
import dev.jrun.plan.Op;
import dev.jrun.spec.model.Hooks;
import dev.jrun.state.ContainerLock;
import dev.jrun.state.ContainerState;
import dev.jrun.state.StateStore;
import dev.jrun.status.Verb;
import dev.jrun.state.StatusProbe;
import dev.jrun.sys.Errno;
import dev.jrun.sys.ProcessTable;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * `start`: lets a created container's init run the user's process (runtime.md "start"). Returns once the
 * process has been exec'd, so that what follows (`state` says running, `kill`, a tool reading
 * /proc/PID/exe) sees the container's program, never jrun-init.
 *
 * <p>Errors name the container but not the operation: the CLI's error report adds "start: " (or "run: ").
 */
public final class Start {
    /** From `jrun start` connecting to the init's execve: a few milliseconds; only a stopped or wedged init takes this long. */
    static final Duration EXEC_DEADLINE = Duration.ofSeconds(10);

    private final StateStore store;
    private final ProcessTable processes;
    private final PrintWriter log;

    /** For callers without a runtime log (tests): hook output and warnings go to this JVM's stderr. */
    public Start(StateStore store, ProcessTable processes) {
        this(store, processes, new PrintWriter(System.err, true));
    }

    /** @param log the runtime's log (--log, else stderr): hook output and poststart warnings */
    public Start(StateStore store, ProcessTable processes, PrintWriter log) {
        this.store = store;
        this.processes = processes;
        this.log = log;
    }

    public void start(String id) throws JrunException {
        try (ContainerLock _ = store.lock(id)) {
            ContainerState state = store.read(id);
            new StatusProbe(processes).require(state, Verb.START);
            Path dir = store.directoryOf(id);
            Path socket = dir.resolve(StateStore.START_SOCKET);
            Hooks hooks = SavedHooks.of(dir, id);
            StartConnection.Outcome outcome;
            try {
                outcome = StartConnection.start(socket, EXEC_DEADLINE.plus(SavedHooks.allowance(hooks == null ? List.of() : hooks.startContainer())),
                        this::logHookOutput);
            } catch (IOException e) {
                throw new JrunException.SystemFailure("cannot reach the init of container \"" + id + "\" at " + socket + ": "
                        + e.getMessage() + "; it may have died (see `jrun state " + id + "`)", e);
            } finally {
                deleteQuietly(socket);
            }
            switch (outcome) {
                case StartConnection.Outcome.Executed executed -> {
                    FaultInjection.stopAt(FaultInjection.START_EXEC);
                    runPoststart(state, hooks);
                }
                case StartConnection.Outcome.ExecFailed failed when failed.failure().operation().equals(Op.RUN_HOOK.protocolName()) ->
                    throw new JrunException.SystemFailure("container \"" + id + "\" was not started: its " + failed.failure().detail()
                            + "; its init has exited (delete the container, fix the hook, create it again)", null);
                case StartConnection.Outcome.ExecFailed failed -> throw new JrunException.SystemFailure(
                        "the process of container \"" + id + "\" could not be started: " + failed.failure().operation() + " "
                                + failed.failure().detail() + ": " + Errno.describe(failed.failure().errno())
                                + "; its init has exited (delete the container, fix process.args or the rootfs, create it again)", null);
                case StartConnection.Outcome.Unconfirmed unconfirmed -> throw new JrunException.SystemFailure(
                        "the init of container \"" + id + "\" closed the start connection without confirming the start; it has"
                                + " probably died (see `jrun state " + id + "`)", null);
                case StartConnection.Outcome.TimedOut timedOut -> throw new JrunException.SystemFailure(timedOut.confirmed()
                        ? "the init of container \"" + id + "\" confirmed the start, but its process was not exec'd within "
                                + timedOut.deadline().toSeconds() + " s; it may still start (see `jrun state " + id + "`)"
                        : "the init of container \"" + id + "\" did not answer the start within " + timedOut.deadline().toSeconds()
                                + " s; is it stopped or frozen? (see `jrun state " + id + "`)", null);
            }
        }
    }

    /** What the startContainer hooks printed, relayed by the init: for the runtime's log, never the container's stdio. */
    private void logHookOutput(String text) {
        log.println("jrun: " + text);
        log.flush();
    }

    /**
     * config.md: after the user's process has started and before start returns; a failure is logged as a warning and
     * the rest run (the container runs on).
     */
    private void runPoststart(ContainerState state, Hooks hooks) {
        if (hooks == null || hooks.poststart().isEmpty()) {
            return;
        }
        String json = HookState.of(new HookState.Identity(state.ociVersion(), state.id(), state.bundle(), state.annotations()),
                "running", state.pid());
        for (HookFailure failure : new HookRunner(log, dev.jrun.call.Invocation.current().cwd()).runAllTolerating(HookKind.POSTSTART, hooks, json)) {
            log.println("jrun: warning: " + failure.getMessage());
        }
        log.flush();
    }

    private static void deleteQuietly(Path socket) {
        try {
            Files.deleteIfExists(socket);
        } catch (IOException ignored) {
            // the next status probe sees the init's state anyway
        }
    }
}
