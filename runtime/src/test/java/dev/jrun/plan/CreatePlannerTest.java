package dev.jrun.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.cgroup.CgroupLayout;
import dev.jrun.cgroup.CgroupPaths;
import dev.jrun.cgroup.ContainerCgroup;
import dev.jrun.cgroup.Membership;
import dev.jrun.error.JrunException;
import dev.jrun.spec.model.Spec;
import dev.jrun.spec.validation.SpecValidator;
import dev.jrun.spec.validation.ValidationReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The plan for each example spec, printed and compared with a reviewed copy in
 * src/test/resources/plans/: any change to the order or arguments of a step shows up here,
 * without root and without a kernel. Set -Djrun.plans.update=true to rewrite the copies.
 */
class CreatePlannerTest {
    private static final Path REPO = Path.of(System.getProperty("jrun.repo", "..")).toAbsolutePath().normalize();
    private static final Path STATE = Path.of("/run/jrun/example");
    /** A hybrid host like the one the project's machines are, written out so the plans do not depend on the machine. */
    private static final CgroupLayout HYBRID = CgroupLayout.parse("""
            31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
            32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct
            35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
            40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
            41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
            """);
    /** The container's cgroups on that host: the default path /jrun/&lt;id&gt; in each hierarchy. */
    private static final List<ContainerCgroup> CGROUPS = containerCgroups();

    private static List<ContainerCgroup> containerCgroups() {
        try {
            return CgroupPaths.resolve(Optional.empty(), "example", false, Membership.parse("""
                    4:cpu,cpuacct:/
                    3:memory:/
                    2:name=systemd:/
                    0::/
                    """), HYBRID);
        } catch (JrunException.InvalidSpec e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"minimal.yaml", "userns.yaml", "hostname.yaml", "propagation.yaml", "veth.yaml", "runc-spec.json",
            "no-mount-namespace.yaml"})
    void planMatchesTheReviewedCopy(String example, @org.junit.jupiter.api.io.TempDir Path temp) throws Exception {
        Path bundle = REPO.resolve("specs");
        Path spec = bundle.resolve(example);
        if (example.equals("runc-spec.json")) {
            // runc's spec asks for a terminal, which create refuses without --console-socket (as runc): plan it as the tests run it.
            bundle = temp;
            Files.createDirectory(bundle.resolve("rootfs"));
            spec = Files.writeString(bundle.resolve(example), Files.readString(spec).replace("\"terminal\": true", "\"terminal\": false"));
        }
        String printed = PlanPrinter.print(CreatePlanner.plan(request(spec, false, Step.Clone.Mode.DETACH)))
                .replace(bundle.toString(), "$BUNDLE");
        Path reviewed = REPO.resolve("runtime/src/test/resources/plans").resolve(example + ".plan");
        if (Boolean.getBoolean("jrun.plans.update")) {
            Files.writeString(reviewed, printed);
        }
        assertEquals(Files.readString(reviewed, StandardCharsets.UTF_8), printed);
    }

    /** specs/terminal.yaml with --console-socket, as podman and containerd create it: where the console steps go. */
    @Test
    void terminalPlanMatchesTheReviewedCopy() throws Exception {
        Path spec = REPO.resolve("specs/terminal.yaml");
        PlanRequest plain = request(spec, false, Step.Clone.Mode.DETACH);
        PlanRequest request = new PlanRequest(plain.spec(), plain.bundle(), plain.startSocket(), false, Step.Clone.Mode.DETACH, 0, CGROUPS,
                false, Optional.of(STATE.resolve("console.sock")));
        String printed = PlanPrinter.print(CreatePlanner.plan(request)).replace(REPO.resolve("specs").toString(), "$BUNDLE");
        Path reviewed = REPO.resolve("runtime/src/test/resources/plans/terminal.yaml.plan");
        if (Boolean.getBoolean("jrun.plans.update")) {
            Files.writeString(reviewed, printed);
        }
        assertEquals(Files.readString(reviewed, StandardCharsets.UTF_8), printed);
    }

    @Test
    void noPivotMovesTheRootInstead() throws Exception {
        Plan plan = CreatePlanner.plan(request(REPO.resolve("specs/minimal.yaml"), true, Step.Clone.Mode.DETACH));
        assertTrue(plan.steps().stream().anyMatch(s -> s.step() instanceof Step.MoveRoot));
        assertTrue(plan.steps().stream().noneMatch(s -> s.step() instanceof Step.PivotRoot));
    }

    @Test
    void foregroundModeIsCarriedByTheClone() throws Exception {
        Plan plan = CreatePlanner.plan(request(REPO.resolve("specs/minimal.yaml"), false, Step.Clone.Mode.FOREGROUND));
        Step.Clone clone = (Step.Clone) plan.steps().stream().map(PlannedStep::step).filter(s -> s instanceof Step.Clone).findFirst().orElseThrow();
        assertEquals(Step.Clone.Mode.FOREGROUND, clone.mode());
        assertEquals(dev.jrun.sys.Signals.RELAYED_TO_FOREGROUND, clone.relayedSignals());
        for (int relayed : java.util.List.of(1, 2, 3, 10, 12, 13, 14, 15, 18, 20, 28, 34, 64)) { // HUP INT QUIT USR1 USR2 PIPE ALRM TERM CONT TSTP WINCH RT
            assertTrue(clone.relayedSignals().contains(relayed), "relays " + relayed);
        }
        for (int kept : java.util.List.of(9, 11, 17, 19, 23, 32, 33)) { // KILL SEGV CHLD STOP URG, glibc's own 32 and 33
            assertFalse(clone.relayedSignals().contains(kept), "keeps " + kept);
        }
    }

    /** The init always leads its own session; in foreground mode the helper also leaves jrun's, before it clones. */
    @Test
    void setsidSurroundsTheCloneInForegroundModeAndFollowsItAlways() throws Exception {
        for (Step.Clone.Mode mode : Step.Clone.Mode.values()) {
            var ops = CreatePlanner.plan(request(REPO.resolve("specs/minimal.yaml"), false, mode)).steps().stream()
                    .map(s -> s.step().op()).toList();
            int clone = ops.indexOf(Op.CLONE);
            assertEquals(Op.SETSID, ops.get(clone + 1), mode + ": the child's first step");
            assertEquals(mode == Step.Clone.Mode.FOREGROUND, ops.get(clone - 1) == Op.SETSID, mode + ": the step before CLONE");
            assertEquals(mode == Step.Clone.Mode.FOREGROUND ? 2 : 1, ops.stream().filter(op -> op == Op.SETSID).count(), mode.toString());
        }
    }

    @Test
    void aDetachedCloneRelaysNothing() {
        assertThrows(IllegalArgumentException.class, () -> new Step.Clone(0, Step.Clone.Mode.DETACH, java.util.List.of(15)));
    }

    /** Without a mount namespace: no change to the runtime's /, a chroot, and every mount on the rootfs bind, recorded. */
    @Test
    void withoutAMountNamespaceTheRootIsAChrootAndEveryMountLiesOnTheRootfsBind() throws Exception {
        Plan plan = CreatePlanner.plan(request(REPO.resolve("specs/no-mount-namespace.yaml"), false, Step.Clone.Mode.DETACH));
        String rootfs = REPO.resolve("specs/rootfs").toString();
        List<Step> steps = plan.steps().stream().map(PlannedStep::step).toList();
        Step.Clone clone = (Step.Clone) steps.stream().filter(s -> s instanceof Step.Clone).findFirst().orElseThrow();
        assertEquals(0, clone.flags() & LinuxConstants.CLONE_NEWNS);
        assertTrue(steps.stream().noneMatch(s -> s instanceof Step.PivotRoot || s instanceof Step.MoveRoot || s instanceof Step.CloneTree));
        int chroot = steps.indexOf(new Step.Chroot(rootfs));
        assertTrue(chroot > 0, steps.toString());
        // Before the chroot "/" is the runtime's own: no step may touch it.
        assertTrue(steps.subList(0, chroot).stream().noneMatch(s -> s instanceof Step.Mount m && m.target().equals("/")), steps.toString());
        assertEquals(java.util.Set.of(rootfs + "/dev", rootfs + "/proc", rootfs + "/srv", rootfs + "/tmp", rootfs),
                java.util.Set.copyOf(plan.hostMounts()));
        assertEquals(rootfs, plan.hostMounts().getLast(), "the rootfs bind, shallowest, goes last");
        assertTrue(plan.warnings().stream().anyMatch(w -> w.contains("shares the runtime's")), plan.warnings().toString());
    }

    /** The terminal's /dev/console bind is made after the chroot, under the rootfs: recorded like every other mount. */
    @Test
    void withoutAMountNamespaceTheConsoleBindIsAHostMountToo() throws Exception {
        Path spec = REPO.resolve("specs/terminal.yaml");
        PlanRequest plain = request(spec, false, Step.Clone.Mode.DETACH);
        var withoutMount = new com.fasterxml.jackson.databind.ObjectMapper().convertValue(plain.spec(),
                com.fasterxml.jackson.databind.node.ObjectNode.class);
        var namespaces = (com.fasterxml.jackson.databind.node.ArrayNode) withoutMount.path("linux").path("namespaces");
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            if (namespaces.get(i).path("type").asText().equals("mount")) {
                namespaces.remove(i);
            }
        }
        Spec shared = new com.fasterxml.jackson.databind.ObjectMapper().convertValue(withoutMount, Spec.class);
        Plan plan = CreatePlanner.plan(new PlanRequest(shared, plain.bundle(), plain.startSocket(), false, Step.Clone.Mode.DETACH, 0, CGROUPS,
                false, Optional.of(STATE.resolve("console.sock"))));
        String rootfs = REPO.resolve("specs/rootfs").toString();
        assertTrue(plan.hostMounts().contains(rootfs + "/dev/console"), plan.hostMounts().toString());
        assertTrue(plan.hostMounts().indexOf(rootfs + "/dev/console") < plan.hostMounts().indexOf(rootfs + "/dev"), "deepest first");
    }

    @Test
    void withoutAMountNamespaceNoPivotIsIgnoredWithAWarning() throws Exception {
        Plan plan = CreatePlanner.plan(request(REPO.resolve("specs/no-mount-namespace.yaml"), true, Step.Clone.Mode.DETACH));
        assertTrue(plan.steps().stream().anyMatch(s -> s.step() instanceof Step.Chroot));
        assertTrue(plan.steps().stream().noneMatch(s -> s.step() instanceof Step.MoveRoot));
        assertTrue(plan.warnings().stream().anyMatch(w -> w.startsWith("--no-pivot is ignored")), plan.warnings().toString());
    }

    /** What cannot be honoured in the runtime's mount namespace is refused with its pointer. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/linux/maskedPaths", "/linux/readonlyPaths", "/linux/namespaces/1"})
    void withoutAMountNamespaceWhatWouldMountThroughTheContainerIsRefused(String pointer, @org.junit.jupiter.api.io.TempDir Path bundle)
            throws Exception {
        Files.createDirectory(bundle.resolve("rootfs"));
        String linux = switch (pointer) {
            case "/linux/maskedPaths" -> "{namespaces: [{type: pid}], maskedPaths: [/proc/kcore]}";
            case "/linux/readonlyPaths" -> "{namespaces: [{type: pid}], readonlyPaths: [/proc/sys]}";
            default -> "{namespaces: [{type: pid}, {type: user}], uidMappings: [{containerID: 0, hostID: 100000, size: 65536}],"
                    + " gidMappings: [{containerID: 0, hostID: 100000, size: 65536}]}";
        };
        Path spec = Files.writeString(bundle.resolve("s.yaml"),
                "ociVersion: 1.2.0\nroot: {path: rootfs}\nprocess: {cwd: /, user: {uid: 0, gid: 0}, args: [sh]}\nlinux: " + linux + "\n");
        PlanException e = assertThrows(PlanException.class, () -> CreatePlanner.plan(request(spec, false, Step.Clone.Mode.DETACH)));
        assertEquals(pointer, e.pointer());
        assertTrue(e.getMessage().contains("add {type: mount}"), e.getMessage());
    }

    @Test
    void encodingStartsWithMagicAndVersion() throws Exception {
        byte[] bytes = PlanEncoder.encode(CreatePlanner.plan(request(REPO.resolve("specs/minimal.yaml"), false, Step.Clone.Mode.DETACH)));
        assertEquals("JRUNPLAN", new String(bytes, 0, 8, StandardCharsets.US_ASCII));
        assertEquals(PlanFormat.VERSION, bytes[8]);
        assertEquals(0, bytes[9] | bytes[10] | bytes[11]);
    }

    @Test
    void encodesIntegersAndStringsLittleEndian() {
        Plan plan = new Plan(java.util.List.of(new PlannedStep(new Step.SetHostname("ab"), Stage.PROCESS, "test"),
                new PlannedStep(new Step.Umask(0x0102), Stage.PROCESS, "test")));
        byte[] bytes = PlanEncoder.encode(plan);
        byte[] expected = {
            'J', 'R', 'U', 'N', 'P', 'L', 'A', 'N', PlanFormat.VERSION, 0, 0, 0, 2, 0, 0, 0,
            9, 0, 1, 0, 1, 2, 0, 0, 0, 'a', 'b',
            16, 0, 1, 0, 0, 2, 1, 0, 0, 0, 0, 0, 0};
        assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(bytes));
    }

    /** The host's /proc/kcore is passed in, so the reviewed plans are the same on every machine. */
    @Test
    void theCoreLinkFollowsTheHostsKcore() throws Exception {
        Path spec = REPO.resolve("specs/minimal.yaml");
        PlanRequest without = request(spec, false, Step.Clone.Mode.DETACH);
        PlanRequest with = new PlanRequest(without.spec(), without.bundle(), without.startSocket(), false, Step.Clone.Mode.DETACH, 0,
                CGROUPS, true);
        assertFalse(PlanPrinter.print(CreatePlanner.plan(without)).contains("/dev/core"));
        assertTrue(PlanPrinter.print(CreatePlanner.plan(with)).contains("\"/proc/kcore\""));
    }

    /** Rootless, with an own-gid map: no setgroups(2), which would fail, and an init that stays dumpable. */
    @Test
    void aRootlessPlanWithSetgroupsDeniedSetsNoGroupsAndKeepsTheInitDumpable() throws Exception {
        PlanRequest root = request(REPO.resolve("specs/userns.yaml"), false, Step.Clone.Mode.DETACH);
        String rootPlan = PlanPrinter.print(CreatePlanner.plan(root));
        assertTrue(rootPlan.contains("SETGROUPS"), rootPlan);
        assertFalse(rootPlan.contains("PRCTL         4 1"), rootPlan);

        String rootless = PlanPrinter.print(CreatePlanner.plan(rootless(root, true)));
        assertFalse(rootless.contains("SETGROUPS"), rootless);
        assertTrue(rootless.contains("PRCTL         4 1"), rootless);
        String withGroups = PlanPrinter.print(CreatePlanner.plan(rootless(root, false)));
        assertTrue(withGroups.contains("SETGROUPS"), "newgidmap leaves setgroups allowed: " + withGroups);
    }

    @Test
    void supplementaryGroupsAreRefusedWhereSetgroupsIsDenied(@org.junit.jupiter.api.io.TempDir Path temp) throws Exception {
        String yaml = Files.readString(REPO.resolve("specs/userns.yaml"), StandardCharsets.UTF_8)
                .replace("user: {uid: 0, gid: 0}", "user: {uid: 0, gid: 0, additionalGids: [10]}");
        Path spec = Files.writeString(temp.resolve("groups.yaml"), yaml);
        PlanException e = assertThrows(PlanException.class, () -> CreatePlanner.plan(rootless(request(spec, false, Step.Clone.Mode.DETACH), true)));
        assertEquals("/process/user/additionalGids", e.pointer());
        assertTrue(e.getMessage().contains("/etc/subgid"), e.getMessage());
    }

    private static PlanRequest rootless(PlanRequest r, boolean setgroupsDenied) {
        return new PlanRequest(r.spec(), r.bundle(), r.startSocket(), r.noPivot(), r.mode(), r.rootfsLockedFlags(), r.cgroups(),
                r.hostHasKcore(), true, setgroupsDenied, r.extras(), r.consoleSocket());
    }

    private static PlanRequest request(Path specFile, boolean noPivot, Step.Clone.Mode mode) throws IOException {
        ValidationReport report = new SpecValidator().validate(specFile);
        Spec spec = report.spec();
        if (spec == null) {
            throw new IOException("example does not validate: " + report.problems());
        }
        return new PlanRequest(spec, specFile.getParent(), STATE.resolve("start.sock"), noPivot, mode, 0, CGROUPS, false);
    }
}
