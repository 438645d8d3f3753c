package dev.jrun.plan;

import static dev.jrun.plan.LinuxConstants.*;

import dev.jrun.cgroup.ContainerCgroup;
import dev.jrun.spec.model.Hooks;
import dev.jrun.seccomp.SeccompFilter;
import dev.jrun.spec.model.Linux;
import dev.jrun.spec.model.Mount;
import dev.jrun.spec.model.Process;
import dev.jrun.spec.model.Spec;
import dev.jrun.sys.Signals;
import dev.jrun.spec.model.SysctlKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Spec → plan: the order of every step of `create`, decided here and nowhere else. Pure except
 * for looking at bind sources (file or directory) on the host.
 */
public final class CreatePlanner {
    static final Map<String, Long> NAMESPACE_FLAGS = Map.of(
            "user", CLONE_NEWUSER, "pid", CLONE_NEWPID, "mount", CLONE_NEWNS, "uts", CLONE_NEWUTS,
            "ipc", CLONE_NEWIPC, "network", CLONE_NEWNET, "cgroup", CLONE_NEWCGROUP, "time", CLONE_NEWTIME);

    /** The namespace types jrun creates or joins, sorted (the features document lists them). */
    public static List<String> namespaceTypes() {
        return NAMESPACE_FLAGS.keySet().stream().sorted().toList();
    }

    /** User first: joining it decides which other namespaces we may join (config-linux.md). Mount last, after paths are opened. */
    static final List<String> JOIN_ORDER = List.of("user", "ipc", "uts", "network", "pid", "cgroup", "time", "mount");

    /** Where hosts mount their cgroup trees, and where a container's `type: cgroup` mount shows them. */
    private static final Path HOST_CGROUPS = Path.of("/sys/fs/cgroup");

    private final StepList steps = new StepList();
    /** Bind mounts asking for shared propagation → the slot of their detached clone. */
    private final java.util.Map<Mount, Integer> clonedTrees = new java.util.IdentityHashMap<>();
    /** Where the master of the process's terminal goes, if it has one. */
    private TerminalPlanner.Destination terminal = new TerminalPlanner.Destination.None();

    private final HookStates hookStates;
    /** The spec lists no mount namespace: the container shares the runtime's, and its root is a chroot. */
    private boolean sharesMountNamespace;

    private CreatePlanner(HookStates hookStates) {
        this.hookStates = hookStates;
    }

    public static Plan plan(PlanRequest request) throws PlanException {
        return plan(request, HookStates.NONE);
    }

    /** @param hookStates what the createContainer and startContainer hooks read on stdin */
    public static Plan plan(PlanRequest request, HookStates hookStates) throws PlanException {
        CreatePlanner planner = new CreatePlanner(hookStates);
        planner.build(request);
        return planner.sharesMountNamespace
                ? planner.steps.toPlan(HostMounts.of(planner.steps.steps(), rootfsOf(request)))
                : planner.steps.toPlan();
    }

    private void add(Stage stage, Step step, String why) {
        steps.add(stage, step, why);
    }

    /** The steps added next carry out the spec part at pointer. */
    private void from(String pointer) {
        steps.from(pointer);
    }

    private static String pointer(String parent, Object key) {
        return StepList.pointer(parent, key);
    }

    private void build(PlanRequest request) throws PlanException {
        Spec spec = request.spec();
        UnappliedSettings.refuseUnsupported(spec);
        Process process = spec.process();
        if (process == null) {
            throw new PlanException("/process", "the spec has no process to run; add process.args, process.cwd and process.user");
        }
        List<Linux.Namespace> namespaces = spec.linux() == null ? List.of() : spec.linux().namespaces();
        sharesMountNamespace = namespaces.stream().noneMatch(n -> n.type().equals("mount"));
        if (sharesMountNamespace) {
            SharedMountNamespace.check(spec, request.noPivot()).forEach(steps::warn);
        }
        if (request.setgroupsDenied() && process.user() != null && !process.user().additionalGids().isEmpty()) {
            throw new PlanException("/process/user/additionalGids", "the container cannot set supplementary groups: its gid map"
                    + " holds only your own gid, which an unprivileged user may write only with setgroups denied; map a range"
                    + " of your subordinate gids too (/etc/subgid, written by newgidmap), or leave additionalGids out");
        }
        terminal = TerminalPlanner.destination(spec, process, request.consoleSocket(), request.mode() == Step.Clone.Mode.FOREGROUND);
        TerminalPlanner.connect(steps, terminal);
        joinNamespaces(namespaces);
        from("/linux/namespaces");
        long cloneFlags = 0;
        boolean newUser = false;
        boolean newCgroup = false;
        for (Linux.Namespace ns : namespaces) {
            if (ns.joinsExisting()) {
                continue;
            }
            switch (ns.type()) {
                case "time" -> timeNamespace(spec);
                case "cgroup" -> newCgroup = true;
                default -> cloneFlags |= NAMESPACE_FLAGS.get(ns.type());
            }
            newUser |= ns.type().equals("user");
        }
        from("");
        add(Stage.NAMESPACES, new Step.ListenStart(request.startSocket().toString()),
                "listen for `jrun start` while still the caller; a remapped container root could not create the socket");
        SeccompFilter filter = ProcessPlanner.compileSeccomp(steps, spec.linux());
        SeccompSetup seccomp = filter == null ? null : SeccompSetup.of(filter, spec, request.containerId(), request.bundle().toString(), "creating");
        if (seccomp != null && seccomp.notifies()) {
            from("/linux/seccomp/listenerPath");
            add(Stage.NAMESPACES, Step.Seccomp.connectAgent(spec.linux().seccomp().listenerPath()),
                    "connect to the seccomp agent while the path is still the host's, and the caller's rights apply");
            from("");
        }
        boolean foreground = request.mode() == Step.Clone.Mode.FOREGROUND;
        if (foreground) {
            // The helper stays jrun's child and relays signals: out of jrun's process group, a terminal's
            // Ctrl-C reaches only jrun, which forwards it once, instead of reaching the helper twice.
            add(Stage.NAMESPACES, new Step.Setsid(), "leave jrun's session and process group: signals reach the helper only through jrun");
        }
        add(Stage.NAMESPACES, new Step.Clone(cloneFlags, request.mode(), foreground ? Signals.RELAYED_TO_FOREGROUND : List.of()),
                "the container's init, in its new namespaces");
        // As runc's init does: no job control or terminal signal of the caller's session reaches the container.
        add(Stage.NAMESPACES, new Step.Setsid(), "the init leads a session and process group of its own");
        Hooks hooks = spec.hooks();
        if (hooks != null && (!hooks.createContainer().isEmpty() || !hooks.startContainer().isEmpty())) {
            from("/hooks");
            add(Stage.HOOKS, new Step.NotePid(), "the init's pid as the runtime sees it, for the state the container's hooks read");
            from("");
        }
        if (newUser) {
            add(Stage.ID_MAPPING, new Step.Sync(SyncPoint.IDMAP), "Java writes uid_map and gid_map");
            // Until now the init runs as host root, which the new namespace does not map: files it made would
            // fail with EOVERFLOW. Root of the new namespace it becomes (the spec's mappings must map 0).
            add(Stage.ID_MAPPING, new Step.SetResGid(0), "become root of the new user namespace");
            add(Stage.ID_MAPPING, new Step.SetResUid(0), "become root of the new user namespace");
        }
        add(Stage.CGROUPS, new Step.Sync(SyncPoint.CGROUP), "Java places the init in its cgroups");
        if ((cloneFlags & CLONE_NEWNET) != 0) {
            add(Stage.NETWORK, new Step.LoopbackUp(), "a new network namespace starts with lo down (runc brings it up too)");
        }
        add(Stage.NETWORK, new Step.Sync(SyncPoint.NETWORK), "Java sets up the network");
        if (hooks != null && (!hooks.prestart().isEmpty() || !hooks.createRuntime().isEmpty())) {
            // config.md: after the runtime environment is made (namespaces, cgroups, network), before pivot_root.
            from("/hooks");
            add(Stage.HOOKS, new Step.Sync(SyncPoint.HOOKS), "Java runs the prestart and createRuntime hooks");
            from("");
        }
        if (newCgroup) {
            add(Stage.NAMESPACES, new Step.Unshare(CLONE_NEWCGROUP), "after cgroup placement, so the container's cgroup is its root");
        }
        rootfs(request, spec);
        processSetup(spec, process, new ProcessPlanner.Credentials(!request.setgroupsDenied(), request.rootless()), request.extras(), seccomp);
    }

    private void joinNamespaces(List<Linux.Namespace> namespaces) {
        List<Integer> joined = new ArrayList<>();
        for (int i = 0; i < namespaces.size(); i++) {
            if (namespaces.get(i).joinsExisting()) {
                joined.add(i);
            }
        }
        joined.sort(Comparator.comparingInt(i -> JOIN_ORDER.indexOf(namespaces.get(i).type())));
        for (int i : joined) {
            Linux.Namespace ns = namespaces.get(i);
            from(pointer("/linux/namespaces", i));
            add(Stage.JOIN_NAMESPACES, new Step.OpenNamespace(ns.path(), NAMESPACE_FLAGS.get(ns.type())),
                    "the " + ns.type() + " namespace at " + ns.path() + ", opened before any is joined");
        }
        from("");
        if (!joined.isEmpty()) {
            // All opened first: once in a new user namespace, paths that need the host's rights no longer open.
            add(Stage.JOIN_NAMESPACES, new Step.EnterNamespaces(), "join the namespaces opened");
        }
    }

    /** Offsets must be written after unshare and before any process enters the namespace: the clone that follows. */
    private void timeNamespace(Spec spec) {
        add(Stage.NAMESPACES, new Step.Unshare(CLONE_NEWTIME), "a time namespace applies to children: the init");
        var offsets = new StringBuilder();
        spec.linux().timeOffsets().forEach((clock, offset) -> offsets.append(clock).append(' ')
                .append(offset.secs() == null ? 0 : offset.secs()).append(' ')
                .append(offset.nanosecs() == null ? 0 : offset.nanosecs()).append('\n'));
        if (!offsets.isEmpty()) {
            from("/linux/timeOffsets");
            add(Stage.NAMESPACES, new Step.WriteFile("/proc/self/timens_offsets", offsets.toString()), "clock offsets");
            from("/linux/namespaces");
        }
    }

    private static String rootfsOf(PlanRequest request) {
        return request.bundle().resolve(request.spec().root().path()).normalize().toString();
    }

    private void rootfs(PlanRequest request, Spec spec) {
        String rootfs = rootfsOf(request);
        String rootfsPropagation = spec.linux() == null ? null : spec.linux().rootfsPropagation();
        if (sharesMountNamespace) {
            add(Stage.ROOTFS, new Step.Umask(0), "device nodes, directories and files get exactly the modes the plan gives");
            from("/root/path");
            // No change to the propagation of the runtime's own mounts (runc makes its / rslave): everything jrun
            // mounts lies on this bind, which delete detaches with all that is under it.
            add(Stage.ROOTFS, new Step.Mount(rootfs, rootfs, "", MS_BIND | MS_REC, ""),
                    "the container's root: a mount of its own in the runtime's mount namespace, holding all the container's mounts");
            add(Stage.ROOTFS, new Step.Mount("", rootfs, "", MS_REC | MS_PRIVATE, ""),
                    "private: what is mounted under the rootfs from now on reaches no other mount namespace");
            mountsUnderRootfs(request, spec, rootfs);
            return;
        }
        // Before anything is mounted: nothing mounted inside may propagate back to the host.
        // An unbindable root could not be bound onto itself below (EINVAL, runc's failure): private until then, the
        // same to the host; the propagation asked for is applied to / after the pivot.
        long hostSide = MS_REC | (isSharedOrSlave(rootfsPropagation) ? MS_SLAVE
                : isUnbindable(rootfsPropagation) ? MS_PRIVATE
                : MountOptions.propagationOf(rootfsPropagation == null ? "rslave" : rootfsPropagation) & ~MS_REC);
        add(Stage.ROOTFS, new Step.Umask(0), "device nodes, directories and files get exactly the modes the plan gives");
        cloneSharedBindSources(request.bundle(), spec);
        from(rootfsPropagation == null ? "" : "/linux/rootfsPropagation");
        add(Stage.ROOTFS, new Step.Mount("", "/", "", hostSide, ""), "keep the container's mounts from reaching the host");
        from("/root/path");
        add(Stage.ROOTFS, new Step.Mount(rootfs, rootfs, "", MS_BIND | MS_REC, ""), "the rootfs must be a mount point for pivot_root");
        mountsUnderRootfs(request, spec, rootfs);
    }

    /**
     * From the scoped rootfs to the container's root in place, with the terminal attached, its masked and read-only
     * paths and its read-only root: everything after the rootfs is a mount point of its own.
     */
    private void mountsUnderRootfs(PlanRequest request, Spec spec, String rootfs) {
        List<PlannedStep> propagation = new ArrayList<>(); // what the spec's mounts ask, applied last
        String rootfsPropagation = spec.linux() == null ? null : spec.linux().rootfsPropagation();
        add(Stage.ROOTFS, new Step.RootScope(rootfs), "no symlink in the rootfs may lead a mount or a new file outside it");
        DevPlanner dev = new DevPlanner(spec, rootfs, isNewUserNamespace(spec), request.hostHasKcore());
        if (!dev.specMountsDev()) {
            add(Stage.ROOTFS, new Step.MakeDirectories(rootfs + "/dev", 0755), "mount point /dev");
            add(Stage.ROOTFS, new Step.Mount("tmpfs", rootfs + "/dev", "tmpfs", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k"),
                    "a /dev of the container's own, so that its device nodes never land in the rootfs");
        }
        for (int i = 0; i < spec.mounts().size(); i++) {
            Mount mount = spec.mounts().get(i);
            from(pointer("/mounts", i));
            if ("cgroup".equals(mount.type())) {
                cgroupMount(rootfs, mount, request.cgroups());
            } else {
                mount(request.bundle(), rootfs, mount, propagation);
            }
        }
        dev.steps().forEach(steps::add);
        from("/root/path");
        add(Stage.ROOTFS, new Step.RootScope(""), "the rootfs becomes / next");
        kernelSettings(spec);
        // config.md: in the container's namespaces, after createRuntime, before pivot_root; the path is still
        // resolved as in the runtime's mount namespace, whose copy this is until pivot_root.
        hooks(spec.hooks() == null ? List.of() : spec.hooks().createContainer(), "createContainer", hookStates.creating());
        from("/root/path");
        if (sharesMountNamespace) {
            add(Stage.ROOTFS, new Step.Chroot(rootfs), "no mount namespace of its own: pivot_root would change the runtime's root");
            // As with a mount namespace (default rslave): a bind of a shared host mount receives the host's mounts, and
            // the container's mounts under it do not reach the host's. "/" is the rootfs bind here, never the host's.
            from(rootfsPropagation == null ? "" : "/linux/rootfsPropagation");
            add(Stage.ROOTFS, new Step.Mount("", "/", "", MountOptions.propagationOf(rootfsPropagation == null ? "rslave" : rootfsPropagation), ""),
                    "the propagation of the container's / (the rootfs bind) and the mounts under it");
        } else if (request.noPivot()) {
            add(Stage.ROOTFS, new Step.MoveRoot(rootfs), "--no-pivot: move the rootfs onto / and chroot");
        } else {
            add(Stage.ROOTFS, new Step.PivotRoot(rootfs), "make the rootfs the container's /");
        }
        if (!sharesMountNamespace && (isSharedOrSlave(rootfsPropagation) || isUnbindable(rootfsPropagation))) {
            from("/linux/rootfsPropagation");
            add(Stage.ROOTFS, new Step.Mount("", "/", "", MountOptions.propagationOf(rootfsPropagation), ""),
                    "rootfsPropagation " + rootfsPropagation + " holds only once the rootfs is /");
        }
        // Last, so that no recursive change of the root's propagation overrides what a mount asked for.
        steps.addAll(propagation);
        // As runc: once the mounts are in place and / is the rootfs (the container's own /dev/ptmx), before the
        // masked and read-only paths and the read-only root, which could refuse the mount point /dev/console.
        TerminalPlanner.attach(steps, spec.process(), terminal, true);
        // Without a mount namespace SharedMountNamespace has refused any masked or read-only path.
        if (spec.linux() != null) {
            for (int i = 0; i < spec.linux().maskedPaths().size(); i++) {
                from(pointer("/linux/maskedPaths", i));
                add(Stage.ROOTFS, new Step.MaskPath(spec.linux().maskedPaths().get(i)), "maskedPaths");
            }
            for (int i = 0; i < spec.linux().readonlyPaths().size(); i++) {
                from(pointer("/linux/readonlyPaths", i));
                add(Stage.ROOTFS, new Step.ReadonlyPath(spec.linux().readonlyPaths().get(i), LOCKED_ON_REMOUNT), "readonlyPaths");
            }
        }
        from("/root/readonly");
        if (spec.root().isReadonly()) {
            add(Stage.ROOTFS, new Step.Mount("", "/", "", MS_BIND | MS_REMOUNT | MS_RDONLY | request.rootfsLockedFlags(), ""),
                    "root.readonly (keeping the host mount's nosuid/nodev/noexec, which the kernel locks)");
        }
    }

    /**
     * sysctls and oom_score_adj, written before pivot_root through the host's /proc: /proc/sys and
     * /proc/self act on the namespaces of the writer, which is already the container's init, and
     * this way they work even when the container mounts no /proc of its own.
     */
    private void kernelSettings(Spec spec) {
        if (spec.linux() != null) {
            spec.linux().sysctl().forEach((key, value) -> {
                from(pointer("/linux/sysctl", key));
                add(Stage.ROOTFS, new Step.WriteFile("/proc/sys/" + SysctlKey.parse(key).procPath(), value), "sysctl " + key);
            });
        }
        if (spec.process() != null && spec.process().oomScoreAdj() != null) {
            from("/process/oomScoreAdj");
            add(Stage.ROOTFS, new Step.WriteFile("/proc/self/oom_score_adj", spec.process().oomScoreAdj().toString()),
                    "oomScoreAdj (lowering it needs privileges the process may lose later)");
        }
    }

    private static boolean isNewUserNamespace(Spec spec) {
        return spec.linux() != null && spec.linux().namespaces().stream().anyMatch(n -> n.type().equals("user") && !n.joinsExisting());
    }

    private static boolean isUnbindable(String propagation) {
        return "unbindable".equals(propagation) || "runbindable".equals(propagation);
    }

    private static boolean isSharedOrSlave(String propagation) {
        return propagation != null && (propagation.endsWith("shared") || propagation.endsWith("slave"));
    }

    /**
     * A bind asking for shared propagation must be a peer of its source's mount, or nothing made inside
     * reaches the host (runc#1755). Its source is cloned before / turns into a slave, while the copy in
     * the new mount namespace is still in the host's peer group; the clone joins that group.
     */
    private void cloneSharedBindSources(Path bundle, Spec spec) {
        for (int i = 0; i < spec.mounts().size(); i++) {
            Mount mount = spec.mounts().get(i);
            from(pointer("/mounts", i));
            MountOptions options = MountOptions.parse(mount.options());
            boolean bind = options.isBind() || "bind".equals(mount.type());
            if (bind && (options.propagation() & MS_SHARED) != 0) {
                String source = bundle.resolve(mount.source() == null ? "" : mount.source()).normalize().toString();
                clonedTrees.put(mount, clonedTrees.size());
                add(Stage.ROOTFS, new Step.CloneTree(source, (options.flags() & MS_REC) != 0),
                        "a copy of " + source + " in the host's peer group, for the shared bind on " + mount.destination());
            }
        }
    }

    private void mount(Path bundle, String rootfs, Mount mount, List<PlannedStep> propagation) {
        MountOptions options = MountOptions.parse(mount.options());
        boolean bind = options.isBind() || "bind".equals(mount.type());
        String target = rootfs + normalizeDestination(mount.destination());
        String source = mount.source() == null ? "" : mount.source();
        if (bind) {
            Path hostSource = bundle.resolve(source).normalize();
            source = hostSource.toString();
            // Anything that is not a directory (a file, /dev/null, a socket) is bound onto a file.
            if (Files.exists(hostSource) && !Files.isDirectory(hostSource)) {
                add(Stage.ROOTFS, new Step.MakeDirectories(Path.of(target).getParent().toString(), 0755), "parent of " + mount.destination());
                add(Stage.ROOTFS, new Step.CreateFile(target, 0644), "a file to bind " + hostSource + " onto");
            } else {
                add(Stage.ROOTFS, new Step.MakeDirectories(target, 0755), "mount point " + mount.destination());
            }
        } else {
            add(Stage.ROOTFS, new Step.MakeDirectories(target, 0755), "mount point " + mount.destination());
        }
        long flags = options.flags() | (bind ? MS_BIND : 0);
        String fstype = bind ? "" : nullToEmpty(mount.type());
        // A bind mount ignores every flag but MS_BIND|MS_REC at first; they apply through a remount.
        long firstFlags = bind ? flags & (MS_BIND | MS_REC) : flags;
        Integer slot = clonedTrees.get(mount);
        if (slot != null) {
            add(Stage.ROOTFS, new Step.AttachTree(slot, target), "mount " + mount.destination() + " (the clone, a peer of the host's mount)");
        } else if (options.copyUp() && !bind) {
            add(Stage.ROOTFS, new Step.CopyUp(source, target, fstype, firstFlags, options.data()),
                    "mount " + mount.destination() + " holding a copy of what the image has there (tmpcopyup)");
        } else {
            add(Stage.ROOTFS, new Step.Mount(source, target, fstype, firstFlags, bind ? "" : options.data()), "mount " + mount.destination());
        }
        if (bind && (flags & ~(MS_BIND | MS_REC)) != 0) {
            add(Stage.ROOTFS, new Step.Mount("", target, "", (flags & ~MS_REC) | MS_REMOUNT | MS_BIND, ""),
                    "apply " + mount.options() + " to the bind mount");
        }
        if (options.propagation() != 0) {
            String inside = normalizeDestination(mount.destination());
            propagation.add(new PlannedStep(new Step.Mount("", inside.isEmpty() ? "/" : inside, "", options.propagation(), ""),
                    Stage.ROOTFS, "propagation of " + mount.destination(), steps.origin()));
        }
    }

    /**
     * `type: cgroup`: the container's own cgroups where the host mounts its trees, and nothing above them (runc's view
     * without a cgroup namespace; with one, what a fresh mount in it would show). Each hierarchy is a bind of the
     * container's directory, not a fresh cgroup mount: the kernel refuses a fresh v1 mount in a user namespace
     * (EPERM), and a bind shows the container its own limits only. A host with one tree at /sys/fs/cgroup (pure v2)
     * gets that bind at the destination; one with several, a tmpfs holding one bind per hierarchy, named as on the host.
     */
    private void cgroupMount(String rootfs, Mount mount, List<ContainerCgroup> cgroups) {
        MountOptions options = MountOptions.parse(mount.options());
        String target = rootfs + normalizeDestination(mount.destination());
        add(Stage.ROOTFS, new Step.MakeDirectories(target, 0755), "mount point " + mount.destination());
        Map<String, ContainerCgroup> byName = new LinkedHashMap<>();
        for (ContainerCgroup cgroup : cgroups) {
            if (cgroup.mount().mountPoint().startsWith(HOST_CGROUPS)) {
                byName.putIfAbsent(HOST_CGROUPS.relativize(cgroup.mount().mountPoint()).toString(), cgroup);
            }
        }
        ContainerCgroup atTop = byName.get("");
        if (atTop != null || byName.isEmpty()) {
            if (atTop == null) {
                add(Stage.ROOTFS, new Step.Mount("cgroup2", target, "cgroup2", options.flags(), ""),
                        "the host mounts no cgroup tree under /sys/fs/cgroup: a cgroup2 mount");
            } else {
                bindCgroup(atTop, target, options.flags());
            }
            return;
        }
        long flags = options.flags() & ~MS_RDONLY; // made read-only at the end, once the mount points exist
        add(Stage.ROOTFS, new Step.Mount("tmpfs", target, "tmpfs", flags, "mode=755"), "a tmpfs holding the container's cgroups");
        for (var entry : byName.entrySet()) {
            String name = entry.getKey();
            String dir = target + "/" + name;
            add(Stage.ROOTFS, new Step.MakeDirectories(dir, 0755), "mount point of the " + name + " hierarchy");
            bindCgroup(entry.getValue(), dir, options.flags());
            if (name.contains(",")) {
                for (String controller : name.split(",")) {
                    add(Stage.ROOTFS, new Step.Symlink(name, target + "/" + controller), "co-mounted " + controller);
                }
            }
        }
        if ((options.flags() & MS_RDONLY) != 0) {
            add(Stage.ROOTFS, new Step.Mount("", target, "", flags | MS_REMOUNT | MS_RDONLY, "mode=755"), "read-only, as asked");
        }
    }

    private void bindCgroup(ContainerCgroup cgroup, String target, long flags) {
        String source = cgroup.directory().toString();
        add(Stage.ROOTFS, new Step.Mount(source, target, "", MS_BIND, ""), "the container's own cgroup in " + cgroup.hierarchy());
        add(Stage.ROOTFS, new Step.Mount("", target, "", (flags & ~MS_REC) | MS_REMOUNT | MS_BIND, ""),
                "the mount's options on the container's cgroup in " + cgroup.hierarchy());
    }

    private static String normalizeDestination(String destination) {
        String normalized = Path.of("/", destination).normalize().toString();
        return normalized.equals("/") ? "" : normalized;
    }

    private void processSetup(Spec spec, Process process, ProcessPlanner.Credentials credentials, PlanRequest.ProcessExtras extras,
                              SeccompSetup seccomp) throws PlanException {
        if (extras.sessionKeyring() != null) {
            // As runc's init: the container does not share the session keyring of whoever ran the runtime.
            add(Stage.PROCESS, new Step.JoinKeyring(extras.sessionKeyring()), "a new session keyring of the container's own");
        }
        if (spec.hostname() != null && !spec.hostname().isEmpty()) {
            from("/hostname");
            add(Stage.PROCESS, new Step.SetHostname(spec.hostname()), "hostname");
        }
        if (spec.domainname() != null && !spec.domainname().isEmpty()) {
            from("/domainname");
            add(Stage.PROCESS, new Step.SetDomainname(spec.domainname()), "domainname");
        }
        ProcessPlanner.prepare(steps, process, spec.linux(), seccomp, extras.preservedFds(), credentials);
        add(Stage.READY, new Step.Ready(), "create is done");
        add(Stage.READY, new Step.AwaitStart(), "wait for `jrun start`");
        // Here and not in ProcessPlanner: exec shares its steps and runs no startContainer hook.
        hooks(spec.hooks() == null ? List.of() : spec.hooks().startContainer(), "startContainer", hookStates.created());
        ProcessPlanner.exec(steps, process, seccomp, extras.extraEnv());
    }

    /** One RUN_HOOK step per hook, in the spec's order; the helper stops at the first that fails. */
    private void hooks(List<Hooks.Hook> list, String kind, HookStates.Split state) {
        for (int i = 0; i < list.size(); i++) {
            Hooks.Hook hook = list.get(i);
            from(pointer("/hooks/" + kind, i));
            add(Stage.HOOKS, new Step.RunHook(kind + " hook " + i + " (/hooks/" + kind + "/" + i + ": " + hook.path() + ")", hook.path(),
                    hook.timeout() == null ? 0 : hook.timeout(), state.beforePid(), state.afterPid(),
                    hook.args().isEmpty() ? List.of(hook.path()) : hook.args(), hook.env()), "the " + kind + " hook " + hook.path());
        }
        from("");
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }
}
