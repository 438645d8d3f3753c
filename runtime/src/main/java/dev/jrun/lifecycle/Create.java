package dev.jrun.lifecycle;

import dev.jrun.error.JrunException;
import dev.jrun.init.InitConnection;
import dev.jrun.init.InitHelper;
import dev.jrun.init.InitMessage;
import dev.jrun.netlink.NetlinkException;
import dev.jrun.plan.CreatePlanner;
import dev.jrun.plan.Plan;
import dev.jrun.plan.PlanEncoder;
import dev.jrun.plan.PlanException;
import dev.jrun.plan.PlanPrinter;
import dev.jrun.plan.PlanRequest;
import dev.jrun.plan.Stage;
import dev.jrun.plan.Step;
import dev.jrun.spec.model.Spec;
import dev.jrun.spec.problem.Problem;
import dev.jrun.spec.validation.SpecValidator;
import dev.jrun.spec.validation.ValidationReport;
import dev.jrun.state.ContainerLock;
import dev.jrun.state.ContainerState;
import dev.jrun.state.StateStore;
import dev.jrun.state.Phase;
import dev.jrun.sys.Errno;
import dev.jrun.sys.ProcStat;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Collectors;

/**
 * `create`: spec → a container whose init waits for `start`. Each stage is named (see {@link Stage});
 * whatever fails, nothing is left behind: no state directory, no process.
 */
public final class Create {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final StateStore store;
    private final PrintWriter debug;
    private final PrintWriter warnings;
    private final StageTimer timer = new StageTimer();

    /**
     * @param debug    where --debug output goes, or null
     * @param warnings where warnings go (stderr)
     */
    public Create(StateStore store, PrintWriter debug, PrintWriter warnings) {
        this.store = store;
        this.debug = debug;
        this.warnings = warnings;
    }

    public CreatedContainer create(CreateRequest request) throws JrunException {
        timer.enter(Stage.VALIDATE);
        Spec spec = validate(request);
        timer.enter(Stage.RESERVE);
        ContainerState state;
        Process helper = null;
        long initPid = 0;
        try (ContainerLock _ = store.reserve(request.id())) {
            try {
                state = reserve(request, spec);
                timer.enter(Stage.PLAN);
                Plan plan = plan(request, spec);
                timer.enter(Stage.SPAWN);
                Path dir = store.directoryOf(request.id());
                try (InitConnection connection = InitConnection.listen(dir.resolve(StateStore.INIT_SOCKET))) {
                    helper = spawn(connection);
                    connection.accept(helper, CONNECT_TIMEOUT);
                    connection.send(PlanEncoder.encode(plan));
                    timer.enter(Stage.NAMESPACES);
                    initPid = converse(connection, plan, spec, state, helper);
                    timer.enter(Stage.RECORD);
                    if (request.mode() == Step.Clone.Mode.DETACH) {
                        helper.waitFor(); // the helper exits as soon as it has reported the init; reap it
                    }
                    state = store.read(request.id()).withPhase(Phase.CREATED);
                    store.write(state);
                    writePidFile(request.pidFile(), initPid);
                    // The init waits for this after `ready`: acknowledged only once the container is recorded,
                    // so a create killed before this point leaves no init waiting for a start (it sees EOF, exits).
                    connection.proceed();
                }
                if (debug != null) {
                    timer.report(debug);
                }
                return new CreatedContainer(request.id(), initPid, request.mode() == Step.Clone.Mode.FOREGROUND ? helper : null);
            } catch (JrunException | IOException | InterruptedException | RuntimeException e) {
                cleanUp(request.id(), helper, initPid);
                throw failure(e);
            }
        }
    }

    private Spec validate(CreateRequest request) throws JrunException {
        if (!Files.isRegularFile(request.specFile())) {
            throw new JrunException.InvalidInput("no spec at " + request.specFile()
                    + ": the bundle must hold config.json, config.yaml or config.yml (or name a spec file)");
        }
        ValidationReport report = new SpecValidator().validate(request.specFile(), request.bundle());
        if (!report.isValid()) {
            String problems = report.errors().stream().map(Problem::render).collect(Collectors.joining("\n"));
            throw new JrunException.InvalidSpec(problems, report.unreadable());
        }
        return report.spec();
    }

    private ContainerState reserve(CreateRequest request, Spec spec) throws JrunException {
        long self = ProcessHandle.current().pid();
        ContainerState state = new ContainerState(spec.ociVersion(), request.id(), 0, 0, self,
                ProcStat.startTime(self).orElse(0), request.bundle().toString(),
                request.bundle().resolve(spec.root().path()).normalize().toString(), Instant.now().toString(),
                spec.annotations(), Phase.CREATING, null, null);
        store.write(state);
        return state;
    }

    private Plan plan(CreateRequest request, Spec spec) throws JrunException {
        Path rootfs = request.bundle().resolve(spec.root().path()).normalize();
        var unreachable = RootfsReachability.problem(spec, rootfs);
        if (unreachable.isPresent()) {
            throw new JrunException.StageFailed("plan", unreachable.get(), null);
        }
        PlanRequest planRequest = new PlanRequest(spec, request.bundle(),
                store.directoryOf(request.id()).resolve(StateStore.START_SOCKET), request.noPivot(), request.mode(),
                MountTable.lockedFlagsOf(rootfs), MountTable.cgroupLayout());
        for (String ignored : dev.jrun.plan.UnappliedSettings.of(spec)) {
            warnings.println("jrun: warning: not applied by this build yet: " + ignored);
        }
        warnings.flush();
        try {
            Plan plan = CreatePlanner.plan(planRequest);
            if (debug != null) {
                debug.print(PlanPrinter.print(plan));
                debug.flush();
            }
            return plan;
        } catch (PlanException e) {
            throw new JrunException.StageFailed("plan", e.getMessage() + " (at " + e.pointer() + ")", e);
        }
    }

    private static Process spawn(InitConnection connection) throws JrunException, IOException {
        Path binary = InitHelper.locate().orElseThrow(() -> new JrunException.SystemFailure(
                "cannot find the jrun-init helper next to jrun's jar; rebuild with scripts/build.sh, or set -Djrun.init=PATH", null));
        ProcessBuilder builder = new ProcessBuilder(binary.toString()).inheritIO();
        builder.environment().clear();
        builder.environment().put("JRUN_INIT_SOCK", connection.socketPath().toString());
        return builder.start();
    }

    /** Plays Java's part at each sync point until the init is ready; returns the init's pid. */
    private long converse(InitConnection connection, Plan plan, Spec spec, ContainerState reserved, Process helper)
            throws IOException, JrunException {
        long initPid = 0;
        ContainerState state = reserved;
        while (true) {
            InitMessage message = connection.next();
            switch (message) {
                case InitMessage.Pid pid -> {
                    initPid = pid.pid();
                    // Recorded at once, so that even a killed `jrun create` leaves a state `delete --force` can clean up.
                    state = state.withInit(initPid, ProcStat.startTime(initPid).orElse(0));
                    store.write(state);
                }
                case InitMessage.Sync sync -> {
                    switch (sync.point()) {
                        case IDMAP -> {
                            timer.enter(Stage.ID_MAPPING);
                            IdMaps.write(initPid, spec);
                        }
                        case CGROUP -> timer.enter(Stage.CGROUPS); // placement arrives with the cgroups work
                        case NETWORK -> {
                            timer.enter(Stage.NETWORK);
                            state = setUpNetwork(spec, state, initPid);
                        }
                    }
                    connection.proceed();
                    timer.enter(Stage.ROOTFS);
                }
                case InitMessage.Ready ready -> {
                    return initPid;
                }
                case InitMessage.Failure failure -> throw stepFailed(plan, failure);
                case InitMessage.Closed closed -> throw new JrunException.StageFailed(timer.current().description(),
                        "jrun-init ended without reporting why" + exitOf(helper), null);
            }
        }
    }

    /** jrun.veth: the host end is recorded before it exists, so that no failure or kill can leave it behind. */
    private ContainerState setUpNetwork(Spec spec, ContainerState state, long initPid) throws JrunException {
        if (spec.jrun() == null || spec.jrun().veth() == null) {
            return state;
        }
        var veth = spec.jrun().veth();
        ContainerState recorded = state.withHostInterface(HostNetwork.reserve(veth, state.id()));
        store.write(recorded);
        try {
            HostNetwork.setUp(veth, recorded.hostInterface(), initPid);
        } catch (NetlinkException e) {
            if (e.operation().startsWith("create veth")) {
                // The pair was not made: a name that was taken belongs to someone else, and cleanup must not delete it.
                store.write(state);
            }
            throw new JrunException.StageFailed(Stage.NETWORK.description(), e.getMessage(), e);
        }
        return recorded;
    }

    private static JrunException stepFailed(Plan plan, InitMessage.Failure failure) {
        if (failure.step() < 0 || failure.step() >= plan.steps().size()) {
            return new JrunException.StageFailed("spawn", "jrun-init refused the plan: " + failure.detail() + ": "
                    + Errno.describe(failure.errno()) + " (is jrun-init from the same build?)", null);
        }
        var planned = plan.at(failure.step());
        return new JrunException.StageFailed(planned.stage().description(),
                "step " + failure.step() + " (" + failure.operation() + " " + failure.detail() + ") failed: "
                        + Errno.describe(failure.errno()) + " [the step's purpose: " + planned.why() + "]", null);
    }

    private static String exitOf(Process helper) {
        try {
            return helper.waitFor(2, java.util.concurrent.TimeUnit.SECONDS) ? " (exit status " + helper.exitValue() + ")" : "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private JrunException failure(Exception e) {
        if (e instanceof JrunException jrun) {
            return jrun;
        }
        String stage = timer.current() == null ? "create" : timer.current().description();
        return new JrunException.StageFailed(stage, String.valueOf(e.getMessage()), e);
    }

    /** Leaves nothing: the init and the helper are killed, the state directory removed. */
    private void cleanUp(String id, Process helper, long knownInitPid) {
        long initPid = knownInitPid;
        try {
            ContainerState recorded = store.read(id);
            if (initPid == 0) {
                initPid = recorded.pid();
            }
            HostNetwork.removeQuietly(recorded);
        } catch (JrunException ignored) {
            // no state yet
        }
        if (initPid > 0) {
            try {
                InitProcess.killAndWait(id, initPid, ProcStat.startTime(initPid).orElse(0));
            } catch (JrunException ignored) {
                // reported by the failure being handled
            }
        }
        if (helper != null) {
            helper.destroyForcibly();
            try {
                helper.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        store.removeQuietly(id);
    }

    private static void writePidFile(Path pidFile, long pid) throws JrunException {
        if (pidFile == null) {
            return;
        }
        try {
            Path temp = pidFile.resolveSibling(pidFile.getFileName() + ".jrun-tmp");
            Files.writeString(temp, Long.toString(pid));
            Files.move(temp, pidFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new JrunException.SystemFailure("cannot write the pid file " + pidFile + ": " + e.getMessage(), e);
        }
    }
}
