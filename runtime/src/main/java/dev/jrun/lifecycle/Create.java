package dev.jrun.lifecycle;

import dev.jrun.call.Helper;
import dev.jrun.call.Invocation;
import dev.jrun.cgroup.CgroupLayout;
import dev.jrun.cgroup.CgroupPlacement;
import dev.jrun.cgroup.CgroupPlan;
import dev.jrun.cgroup.Membership;
import dev.jrun.error.JrunException;
import dev.jrun.hook.HookFailure;
import dev.jrun.hook.HookKind;
import dev.jrun.hook.HookRunner;
import dev.jrun.init.InitConnection;
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
import dev.jrun.sys.FileIdentity;
import dev.jrun.sys.KnownProcess;
import dev.jrun.sys.ProcessTable;
import dev.jrun.sys.UnixSockets;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * `create`: spec → a container whose init waits for `start`. Each stage is named (see {@link Stage});
 * whatever fails, nothing is left behind: no state directory, no process.
 */
public final class Create {

    private final StateStore store;
    private final ProcessTable processes;
    private final PrintWriter debug;
    private final PrintWriter warnings;
    private final StageTimer timer = new StageTimer();
    /** The state as last written to state.json; what clean-up acts on. */
    private ContainerState recorded;
    /** The spec as read, saved beside the state for exec. */
    private com.fasterxml.jackson.databind.JsonNode specDocument;
    /** What every hook of this container reads besides its status and pid. */
    private HookState.Identity hookIdentity;
    /** Set when a hook failed: the spec has the lifecycle go on with delete then, so clean-up runs the poststop hooks. */
    private boolean hookFailed;
    /** The pid file once written, so that a create failing after it takes it away again. */
    private Path pidFileWritten;
    /** How the user namespace's maps are written, when the spec asks for a new one. */
    private IdMaps idMaps;

    /**
     * @param debug    where --debug output goes, or null
     * @param warnings where warnings go (stderr)
     */
    public Create(StateStore store, ProcessTable processes, PrintWriter debug, PrintWriter warnings) {
        this.store = store;
        this.processes = processes;
        this.debug = debug;
        this.warnings = warnings;
    }

    public CreatedContainer create(CreateRequest request) throws JrunException {
        timer.enter(Stage.VALIDATE);
        Spec spec = validate(request);
        hookIdentity = new HookState.Identity(spec.ociVersion(), request.id(), request.bundle().toString(), spec.annotations());
        Path dir = store.directoryOf(request.id());
        requireSocketPathsFit(request.id(), dir);
        Path rootfs = request.bundle().resolve(spec.root().path()).normalize();
        // Every refusal comes before the id is reserved: a refused spec never touches --root.
        timer.enter(Stage.PLAN);
        RuntimeUser user = RuntimeUser.ofThisProcess();
        CgroupPlan cgroups = cgroupPlan(request, spec, user);
        idMaps = newUserNamespace(spec) ? IdMaps.of(spec, user) : null;
        PlanRequest.ProcessExtras extras = extras(request);
        Plan plan = plan(request, spec, rootfs, dir, cgroups, user, extras);
        Path binary = HelperStart.binary();
        FileIdentity initBinary = FileIdentity.of(binary).orElseThrow(() -> new JrunException.SystemFailure(
                "cannot read the jrun-init helper at " + binary + "; rebuild with scripts/build.sh", null));
        timer.enter(Stage.RESERVE);
        Helper helper = null;
        try (ContainerLock _ = store.reserve(initialState(request, spec, rootfs, initBinary, plan))) {
            try {
                ContainerSpec.save(dir, specDocument);
                timer.enter(Stage.SPAWN);
                try (InitConnection connection = InitConnection.listen(dir.resolve(StateStore.INIT_SOCKET))) {
                    helper = HelperStart.spawn(binary, connection, extras.preservedFds());
                    connection.accept(helper, HelperStart.CONNECT_TIMEOUT);
                    connection.send(PlanEncoder.encode(plan), HelperStart.SILENCE_LIMIT);
                    // What the createContainer hooks print goes to the runtime's log (the init's stdio is the container's).
                    connection.onLog(text -> {
                        warnings.println("jrun: " + text);
                        warnings.flush();
                    });
                    timer.enter(Stage.NAMESPACES);
                    converse(connection, plan, spec, helper, new CgroupPlacement(cgroups));
                    timer.enter(Stage.RECORD);
                    record(recorded.withPhase(Phase.CREATED));
                    PidFile.write(request.pidFile(), recorded.pid());
                    pidFileWritten = request.pidFile();
                    // The init goes on to wait for `start` only now that the state owns it: had this
                    // process died before, the init would have seen the socket close and exited.
                    connection.proceed();
                }
                if (!request.foreground()) {
                    helper.waitFor(); // the helper exits as soon as it has reported the init; reap it
                }
                if (debug != null) {
                    timer.report(debug);
                }
                return new CreatedContainer(request.id(), recorded.pid(), request.foreground() ? helper : null);
            } catch (JrunException | IOException | InterruptedException | RuntimeException e) {
                cleanUp(request.id(), helper, spec);
                throw failure(e);
            }
        }
    }

    /** The sockets live in the state directory, and a Unix socket path holds at most 107 bytes. */
    private static void requireSocketPathsFit(String id, Path dir) throws JrunException {
        int longest = Math.max(StateStore.START_SOCKET.length(), StateStore.INIT_SOCKET.length());
        int length = dir.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1 + longest;
        if (length > UnixSockets.MAX_PATH_BYTES) {
            int fits = id.length() - (length - UnixSockets.MAX_PATH_BYTES);
            throw new JrunException.InvalidInput("the container id is " + id.length() + " characters long: its socket "
                    + dir.resolve(StateStore.START_SOCKET) + " would exceed the " + UnixSockets.MAX_PATH_BYTES + " bytes of a Unix socket path;"
                    + (fits > 0 ? " under this --root at most " + fits + " characters fit" : " choose a shorter --root")
                    + " (docs/cli.md \"Container ids\")");
        }
    }

    private Spec validate(CreateRequest request) throws JrunException {
        // Read once, kept as read: exec takes the defaults of its processes from this very document.
        dev.jrun.spec.source.SourceDocument document;
        try {
            document = new dev.jrun.spec.source.SpecReader().read(request.specFile());
        } catch (dev.jrun.spec.source.SpecReadException e) {
            throw new JrunException.InvalidSpec(e.problem().render(), e.unreadable());
        }
        specDocument = document.tree();
        ValidationReport report = new SpecValidator().validate(document, request.bundle());
        if (!report.isValid()) {
            String problems = report.errors().stream().map(Problem::render).collect(Collectors.joining("\n"));
            throw new JrunException.InvalidSpec(problems, report.unreadable());
        }
        return report.spec();
    }

    /**
     * The state before the helper runs; for a container without a mount namespace it names the mount points the plan
     * makes in jrun's, counted as they are now, so that no failure or kill of jrun leaves one that delete would not find.
     */
    private ContainerState initialState(CreateRequest request, Spec spec, Path rootfs, FileIdentity initBinary, Plan plan) {
        KnownProcess self = processes.process(ProcessHandle.current().pid()).orElseThrow();
        recorded = new ContainerState(spec.ociVersion(), request.id(), 0, 0, self.pid(), self.startTime(),
                request.bundle().toString(), rootfs.toString(), Instant.now().toString(), spec.annotations(), Phase.CREATING,
                initBinary, null, null, HostMountTable.counted(plan.hostMounts(), rootfs));
        return recorded;
    }

    /** Writes the state and remembers it: clean-up acts on exactly what was recorded last. */
    private void record(ContainerState state) throws JrunException {
        store.write(state);
        recorded = state;
    }

    /** Where the container's cgroups go and what its limits write: refused here, before the id is reserved. */
    private CgroupPlan cgroupPlan(CreateRequest request, Spec spec, RuntimeUser user) throws JrunException {
        // The caller's cgroups, not the warm server's: a relative path means the same in both modes.
        long caller = Invocation.current().credentials().pid();
        List<Membership> own;
        try {
            own = Membership.of(caller);
        } catch (IOException e) {
            throw new JrunException.SystemFailure("cannot read the cgroups of jrun's caller from /proc/" + caller + "/cgroup: "
                    + e.getMessage(), e);
        }
        CgroupPlan cgroups = CgroupPlan.of(spec, request.id(), request.systemdCgroup(), own, CgroupLayout.readOwn());
        cgroups.resources().warnings().forEach(w -> warnings.println("jrun: warning: " + w));
        return user.privileged() ? cgroups : RootlessCgroups.decide(spec, cgroups, user, warnings);
    }

    private Plan plan(CreateRequest request, Spec spec, Path rootfs, Path dir, CgroupPlan cgroups, RuntimeUser user,
                      PlanRequest.ProcessExtras extras) throws JrunException {
        if (!user.privileged() && (spec.linux() == null || spec.linux().namespaces().stream().noneMatch(n -> n.type().equals("user")))) {
            throw new JrunException.StageFailed("plan", "jrun runs as uid " + user.uid() + ", not root, and the spec asks for no"
                    + " user namespace, without which an unprivileged user may make no other namespace or mount (at"
                    + " /linux/namespaces); add {type: user} with uidMappings and gidMappings (jrun spec --rootless writes such a"
                    + " spec), or run jrun as root (docs/rootless.md)", null);
        }
        var unreachable = RootfsReachability.problem(spec, rootfs);
        if (unreachable.isPresent()) {
            throw new JrunException.StageFailed("plan", unreachable.get(), null);
        }
        PlanRequest planRequest = new PlanRequest(spec, request.bundle(), dir.resolve(StateStore.START_SOCKET), request.noPivot(),
                request.foreground() ? Step.Clone.Mode.FOREGROUND : Step.Clone.Mode.DETACH,
                MountTable.lockedFlagsOf(rootfs), cgroups.cgroups(),
                Files.exists(Path.of("/proc/kcore")), !user.privileged(), idMaps != null && idMaps.deniesSetgroups(), extras,
                Optional.ofNullable(request.consoleSocket()));
        for (String ignored : dev.jrun.plan.UnappliedSettings.of(spec)) {
            warnings.println("jrun: warning: not applied by this build yet: " + ignored);
        }
        warnings.flush();
        try {
            Plan plan = CreatePlanner.plan(planRequest, HookState.forHelper(hookIdentity));
            refuseMountsBelowASharedRoot(plan, rootfs);
            plan.warnings().forEach(w -> warnings.println("jrun: warning: " + w));
            if (debug != null) {
                plan.notes().forEach(n -> debug.println("jrun: note: " + n));
            }
            warnings.flush();
            if (debug != null) {
                debug.print(PlanPrinter.print(plan));
                debug.flush();
            }
            return plan;
        } catch (PlanException e) {
            throw new JrunException.StageFailed("plan", e.getMessage() + " (at " + e.pointer() + ")", e);
        }
    }

    /** See {@link HostMountTable#below}: checked here, so that the refusal comes before the id is reserved. */
    private static void refuseMountsBelowASharedRoot(Plan plan, Path rootfs) throws JrunException {
        if (plan.hostMounts().isEmpty()) {
            return;
        }
        List<String> below = HostMountTable.below(rootfs);
        if (!below.isEmpty()) {
            throw new JrunException.StageFailed("plan", "the container has no mount namespace of its own (at /linux/namespaces), and"
                    + " jrun's mount namespace already has mounts under its rootfs: " + String.join(", ", below.subList(0, Math.min(5, below.size())))
                    + (below.size() > 5 ? " and " + (below.size() - 5) + " more" : "") + ". Another container without a mount namespace"
                    + " may be using this rootfs, or one left them; jrun could not tell its own mounts from those at delete. Give each"
                    + " such container a rootfs of its own, or unmount those once nothing uses them", null);
        }
    }

    private static boolean newUserNamespace(Spec spec) {
        return spec.linux() != null && spec.linux().namespaces().stream().anyMatch(n -> n.type().equals("user") && !n.joinsExisting());
    }

    /**
     * What runc adds to the spec's process: under systemd's socket activation (LISTEN_FDS, with LISTEN_PID naming
     * the caller) its descriptors, then --preserve-fds more, and the variables that tell the process, whose pid is 1
     * in its namespace; and a session keyring of its own, named as runc names it.
     */
    private static PlanRequest.ProcessExtras extras(CreateRequest request) throws JrunException {
        Invocation invocation = Invocation.current();
        int activated = 0;
        String listenFds = invocation.variable("LISTEN_FDS");
        if (listenFds != null && String.valueOf(invocation.credentials().pid()).equals(invocation.variable("LISTEN_PID"))) {
            try {
                activated = Integer.parseInt(listenFds);
            } catch (NumberFormatException e) {
                activated = -1;
            }
            if (activated < 0) {
                throw new JrunException.InvalidInput("LISTEN_FDS=" + listenFds + " is not a count of descriptors");
            }
        }
        List<String> env = activated == 0 ? List.of() : List.of("LISTEN_FDS=" + activated, "LISTEN_PID=1");
        return new PlanRequest.ProcessExtras(activated + request.preservedFds(), env,
                request.newKeyring() ? "_ses." + request.id() : null);
    }

    /** Plays Java's part at each sync point until the init is ready; the state it records is {@link #recorded}. */
    private void converse(InitConnection connection, Plan plan, Spec spec, Helper helper, CgroupPlacement cgroups)
            throws IOException, JrunException {
        while (true) {
            // createContainer hooks run between two messages, each for as long as its timeout allows.
            InitMessage message = connection.next(HelperStart.SILENCE_LIMIT.plus(
                    SavedHooks.allowance(spec.hooks() == null ? List.of() : spec.hooks().createContainer())));
            switch (message) {
                case InitMessage.Pid pid -> {
                    // Recorded at once, so that even a killed `jrun create` leaves a state `delete --force` can clean up.
                    long initPid = pid.pid();
                    long startTime = processes.process(initPid).map(KnownProcess::startTime).orElse(0L);
                    // It runs its own sealed memfd copy of jrun-init (sealed.c), not the file: that copy is what
                    // /proc/PID/exe shows until `start` (an init already gone is stopped whatever is recorded).
                    FileIdentity running = processes.executableOf(initPid).orElse(recorded.initBinary());
                    record(recorded.withInit(initPid, startTime, running));
                }
                case InitMessage.Sync sync -> {
                    switch (sync.point()) {
                        case IDMAP -> {
                            timer.enter(Stage.ID_MAPPING);
                            idMaps.write(recorded.pid(), spec);
                        }
                        case CGROUP -> {
                            timer.enter(Stage.CGROUPS);
                            place(cgroups);
                        }
                        case NETWORK -> {
                            timer.enter(Stage.NETWORK);
                            setUpNetwork(spec);
                        }
                        case HOOKS -> {
                            timer.enter(Stage.HOOKS);
                            runRuntimeHooks(spec);
                        }
                    }
                    connection.proceed();
                    timer.enter(Stage.ROOTFS);
                }
                case InitMessage.Ready ready -> {
                    return;
                }
                case InitMessage.Failure failure -> {
                    hookFailed = failure.operation().equals(dev.jrun.plan.Op.RUN_HOOK.protocolName());
                    throw HelperFailures.stepFailed(plan, failure);
                }
                case InitMessage.Closed closed -> throw new JrunException.StageFailed(timer.current().description(),
                        "jrun-init ended without reporting why" + HelperFailures.exitOf(helper), null);
            }
        }
    }

    /**
     * The init into its cgroups, limits first. What was made is recorded before anything else can fail, so that no
     * failure, and no kill of jrun after it, leaves a cgroup that delete would not find; and only once make has found
     * the cgroups empty, so that neither clean-up nor delete ever kills another's processes through them.
     */
    private void place(CgroupPlacement cgroups) throws JrunException {
        var made = cgroups.make();
        record(recorded.withCgroups(new ContainerState.Cgroups(
                cgroups.plan().cgroups().stream().map(c -> new ContainerState.Directory(c.hierarchy(), c.directory().toString())).toList(),
                made.made().stream().map(Path::toString).toList())));
        cgroups.limitAndJoin(recorded.pid());
    }

    /**
     * prestart (deprecated, first) then createRuntime, in the runtime's namespaces, with the init made and in its
     * namespaces, cgroups and network, before pivot_root. The first failure fails create, which then tears down.
     */
    private void runRuntimeHooks(Spec spec) throws JrunException {
        String state = HookState.of(hookIdentity, "creating", recorded.pid());
        HookRunner runner = new HookRunner(warnings, dev.jrun.call.Invocation.current().cwd());
        try {
            runner.runAll(HookKind.PRESTART, spec.hooks(), state);
            runner.runAll(HookKind.CREATE_RUNTIME, spec.hooks(), state);
        } catch (HookFailure failure) {
            hookFailed = true;
            throw new JrunException.StageFailed(Stage.HOOKS.description(), failure.getMessage(), failure);
        }
    }

    /** jrun.veth: the host end is recorded before it exists, so that no failure or kill can leave it behind. */
    private void setUpNetwork(Spec spec) throws JrunException {
        if (spec.jrun() == null || spec.jrun().veth() == null) {
            return;
        }
        var veth = spec.jrun().veth();
        ContainerState before = recorded;
        record(before.withHostInterface(HostNetwork.reserve(veth, before.id())));
        try {
            HostNetwork.setUp(veth, recorded.hostInterface(), recorded.pid());
        } catch (NetlinkException e) {
            if (e.operation().startsWith("create veth")) {
                // The pair was not made: a name that was taken belongs to someone else, and cleanup must not delete it.
                record(before);
            }
            throw new JrunException.StageFailed(Stage.NETWORK.description(), e.getMessage(), e);
        }
    }

    private JrunException failure(Exception e) {
        if (e instanceof JrunException jrun) {
            return jrun;
        }
        String stage = timer.current() == null ? "create" : timer.current().description();
        return new JrunException.StageFailed(stage, String.valueOf(e.getMessage()), e);
    }

    /** What the plan mounted in jrun's mount namespace (a container without one of its own), once nothing of it runs. */
    private void removeHostMounts() {
        List<String> left = HostMountTable.remove(recorded.hostMounts());
        if (!left.isEmpty()) {
            warnings.println("jrun: warning: after the failed create: " + String.join("; ", left));
            warnings.flush();
        }
    }

    /** Leaves nothing: the init and the helper are killed, the host interface and the state directory removed. */
    private void cleanUp(String id, Helper helper, Spec spec) {
        if (pidFileWritten != null) {
            try {
                Files.deleteIfExists(pidFileWritten);
            } catch (IOException ignored) {
                // the original error is what matters
            }
        }
        HostNetwork.removeQuietly(recorded);
        if (recorded.pid() > 0) {
            try {
                InitProcess.killAndWait(processes, id, new KnownProcess(recorded.pid(), recorded.pidStartTime()));
            } catch (JrunException ignored) {
                // reported by the failure being handled
            }
        }
        var members = CgroupMembers.of(recorded, processes);
        if (members.isPresent()) {
            try {
                members.get().killAndRemove();
            } catch (JrunException e) {
                warnings.println("jrun: warning: after the failed create: " + e.getMessage());
                warnings.flush();
            }
        }
        removeHostMounts();
        if (helper != null) {
            try {
                // A foreground helper exits by itself once its init is gone (killed above), and must: one that relays the
                // user's terminal restores it on the way out, which a SIGKILL would prevent (docs/terminal.md).
                if (recorded.pid() <= 0 || !helper.waitFor(HelperStart.GRACE)) {
                    helper.destroyForcibly();
                    helper.waitFor(Duration.ofSeconds(5));
                }
            } catch (InterruptedException e) {
                helper.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        try {
            store.remove(id);
        } catch (JrunException ignored) {
            // best effort on a path that is already failing; the original error is what the user needs
        }
        if (hookFailed && spec != null) {
            // runtime.md: a failed prestart, createRuntime or createContainer hook stops the container and the
            // lifecycle goes on at delete, whose poststop hooks run; their failures are warnings.
            String state = HookState.of(hookIdentity, "stopped", 0);
            for (HookFailure failure : new HookRunner(warnings, dev.jrun.call.Invocation.current().cwd()).runAllTolerating(HookKind.POSTSTOP, spec.hooks(), state)) {
                warnings.println("jrun: warning: " + failure.getMessage());
            }
            warnings.flush();
        }
    }
}
