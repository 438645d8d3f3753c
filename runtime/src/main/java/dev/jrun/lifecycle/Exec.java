package dev.jrun.lifecycle;

import dev.jrun.call.Helper;
import dev.jrun.call.Invocation;
import dev.jrun.cgroup.ExistingCgroups;
import dev.jrun.error.JrunException;
import dev.jrun.init.InitConnection;
import dev.jrun.init.InitMessage;
import dev.jrun.plan.ExecPlanRequest;
import dev.jrun.plan.ExecPlanner;
import dev.jrun.plan.Plan;
import dev.jrun.plan.PlanEncoder;
import dev.jrun.plan.PlanException;
import dev.jrun.plan.PlanPrinter;
import dev.jrun.plan.Step;
import dev.jrun.spec.model.Spec;
import dev.jrun.state.ContainerLock;
import dev.jrun.state.ContainerState;
import dev.jrun.state.StateStore;
import dev.jrun.state.StatusProbe;
import dev.jrun.status.Verb;
import dev.jrun.sys.KnownProcess;
import dev.jrun.sys.ProcessTable;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * `exec`: a new process in a created or running container. The helper joins the container's namespaces
 * (user first, unless a namespace its user namespace does not own must come before), forks into its pid
 * namespace, Java places the child in the container's cgroups, and the child becomes the process as the
 * spec describes it and execs. The container's lock is held until the process runs, not while it runs.
 */
public final class Exec {

    private final StateStore store;
    private final ProcessTable processes;
    private final PrintWriter debug;
    private final PrintWriter warnings;

    public Exec(StateStore store, ProcessTable processes, PrintWriter debug, PrintWriter warnings) {
        this.store = store;
        this.processes = processes;
        this.debug = debug;
        this.warnings = warnings;
    }

    /** The process's exit status (128+N when signal N killed it) in the foreground; 0 once it runs, detached. */
    public int exec(ExecRequest request) throws JrunException {
        Helper helper;
        Helper.Forwarding forwarding = null;
        try (ContainerLock _ = store.lock(request.id())) {
            ContainerState state = store.read(request.id());
            StatusProbe probe = new StatusProbe(processes);
            probe.require(state, Verb.EXEC);
            KnownProcess init = probe.initOf(state).orElseThrow(() -> new JrunException.IncorrectStatus(
                    request.id(), Verb.EXEC, dev.jrun.status.Status.STOPPED));
            Path dir = store.directoryOf(request.id());
            Spec spec = ExecSpec.of(ContainerSpec.load(dir, request.id()), request.process(), Path.of(state.bundle()),
                    Invocation.current().cwd(), warnings);
            Plan plan = plan(spec, request, init, state);
            Path binary = HelperStart.binary();
            Running running = new Running(request, state);
            try (InitConnection connection = InitConnection.listen(dir.resolve(socketName()))) {
                helper = HelperStart.spawn(binary, connection, request.preservedFds());
                running.helper = helper;
                connection.accept(helper, HelperStart.CONNECT_TIMEOUT);
                connection.send(PlanEncoder.encode(plan), HelperStart.SILENCE_LIMIT);
                if (!request.detach()) {
                    // Before the process can run: a signal to jrun from then on reaches it.
                    forwarding = helper.forwardSignals();
                }
                converse(connection, plan, running);
            } catch (JrunException | IOException | RuntimeException e) {
                if (forwarding != null) {
                    forwarding.close();
                }
                running.cleanUp();
                throw e instanceof JrunException jrun ? jrun : new JrunException.SystemFailure(String.valueOf(e.getMessage()), e);
            }
        }
        try {
            if (request.detach()) {
                helper.waitFor(); // it exits as soon as it has reported the process; reap it
                return 0;
            }
            return helper.waitForwardingSignals();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JrunException.SystemFailure("interrupted while waiting for the exec'd process", e);
        } finally {
            if (forwarding != null) {
                forwarding.close();
            }
        }
    }

    private Plan plan(Spec spec, ExecRequest request, KnownProcess init, ContainerState state) throws JrunException {
        try {
            Plan plan = ExecPlanner.plan(new ExecPlanRequest(ExecNamespaces.of(init.pid()), spec,
                    request.detach() ? Step.Clone.Mode.DETACH_ONCE_EXECED : Step.Clone.Mode.FOREGROUND, request.preservedFds(),
                    !RuntimeUser.ofThisProcess().privileged(), ExecNamespaces.setgroupsDenied(init.pid()),
                    java.util.Optional.ofNullable(request.consoleSocket()), request.id(), state.bundle(),
                    ExecNamespaces.sharedRoot(init.pid())));
            if (debug != null) {
                debug.print(PlanPrinter.print(plan));
                debug.flush();
            }
            return plan;
        } catch (PlanException e) {
            throw new JrunException.StageFailed("plan", e.getMessage() + " (at " + e.pointer() + ")", e);
        }
    }

    /**
     * A socket of its own per exec, so that execs into one container may overlap; as long as start.sock, so that it
     * fits wherever that does (create checks the id's length against both).
     */
    private static String socketName() {
        byte[] random = new byte[2];
        ThreadLocalRandom.current().nextBytes(random);
        return "e" + HexFormat.of().formatHex(random) + ".sock";
    }

    /** Java's part at the sync points, until the process has exec'd (end of file) or failed. */
    private void converse(InitConnection connection, Plan plan, Running running) throws IOException, JrunException {
        while (true) {
            InitMessage message = connection.next(HelperStart.SILENCE_LIMIT);
            switch (message) {
                case InitMessage.Pid pid -> {
                    running.pid = pid.pid();
                    // Now, while the process cannot run yet: a pid file that cannot be written fails the exec while the
                    // helper's parent is still there to reap the process killed for it.
                    PidFile.write(running.request.pidFile(), running.pid);
                }
                case InitMessage.Sync sync -> {
                    if (running.state.cgroups() != null) {
                        ExistingCgroups.join(running.pid, running.state.cgroups().byHierarchy());
                    }
                    connection.proceed();
                }
                case InitMessage.Ready ready -> throw new JrunException.SystemFailure("jrun-init said ready in an exec plan, which has no READY", null);
                case InitMessage.Failure failure -> throw HelperFailures.stepFailed(plan, failure);
                case InitMessage.Closed closed -> {
                    if (running.pid <= 0) {
                        throw new JrunException.SystemFailure("jrun-init ended without reporting why" + HelperFailures.exitOf(running.helper), null);
                    }
                    return; // execve closed the connection (close-on-exec), or the process died at once: its status tells
                }
            }
        }
    }

    /** What one exec has started, for its clean-up when it fails. */
    private final class Running {
        final ExecRequest request;
        final ContainerState state;
        Helper helper;
        long pid;

        Running(ExecRequest request, ContainerState state) {
            this.request = request;
            this.state = state;
        }

        /**
         * Leaves nothing: the process (never exec'd, so still ours) gone, the helper reaped, the pid file gone. The
         * connection is closed by now, so a process waiting at its sync point exits by itself and the helper's parent
         * reaps it (CLONE mode 2, or the foreground parent): waited for first, so that no zombie is left for the
         * caller's subreaper; only what is still there after that is killed.
         */
        void cleanUp() {
            if (helper != null) {
                try {
                    helper.waitFor(HelperStart.GRACE);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (pid > 0) {
                processes.process(pid).ifPresent(child -> {
                    try {
                        InitProcess.killAndWait(processes, request.id(), child);
                    } catch (JrunException ignored) {
                        // the error being reported is what matters
                    }
                });
            }
            if (helper != null) {
                helper.destroyForcibly();
                try {
                    helper.waitFor(Duration.ofSeconds(5));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (request.pidFile() != null) {
                try {
                    Files.deleteIfExists(request.pidFile());
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }
}
