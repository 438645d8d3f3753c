package dev.jrun.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.plan.ExecPlanRequest.ContainerNamespace;
import dev.jrun.spec.model.Process;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExecPlannerTest {
    @org.junit.jupiter.api.io.TempDir
    static java.nio.file.Path bundle;

    /** The container's spec with the exec'd process in place: uid 1000, oomScoreAdj 5, a terminal when asked. */
    private static dev.jrun.spec.model.Spec spec(boolean terminal) throws Exception {
        java.nio.file.Files.createDirectories(bundle.resolve("rootfs"));
        java.nio.file.Path file = java.nio.file.Files.writeString(bundle.resolve("spec-" + terminal + ".yaml"), """
                ociVersion: 1.2.0
                root: {path: rootfs}
                process: {terminal: %s, cwd: /, args: [sh, -c, "true"], env: [PATH=/bin], user: {uid: 1000, gid: 1000}, oomScoreAdj: 5}
                mounts:
                  - {destination: /dev/pts, type: devpts, source: devpts, options: [newinstance, ptmxmode=0666]}
                linux: {namespaces: [{type: pid}, {type: mount}]}
                """.formatted(terminal));
        var report = new dev.jrun.spec.validation.SpecValidator().validate(file);
        assertTrue(report.isValid(), report.problems().toString());
        return report.spec();
    }

    private static ExecPlanRequest request(List<ContainerNamespace> joins, boolean terminal, Step.Clone.Mode mode, int preserved,
                                           java.util.Optional<java.nio.file.Path> socket) throws Exception {
        return new ExecPlanRequest(joins, spec(terminal), mode, preserved, false, false, socket, "c1", bundle.toString(), Optional.empty());
    }

    /** A container without a mount namespace: nothing to join, and the process enters the init's root before anything looks up a path in it. */
    @Test
    void aContainerSharingJrunsMountNamespaceIsEnteredByChrootRightAfterTheClone() throws Exception {
        ExecPlanRequest plain = request(List.of(ns("pid", true)), true, Step.Clone.Mode.DETACH_ONCE_EXECED, 0, Optional.of(bundle.resolve("c.sock")));
        ExecPlanRequest request = new ExecPlanRequest(plain.joins(), plain.spec(), plain.mode(), 0, false, false, plain.consoleSocket(),
                "c1", bundle.toString(), Optional.of("/proc/42/root"));
        List<Step> steps = ExecPlanner.plan(request).steps().stream().map(PlannedStep::step).toList();
        int chroot = steps.indexOf(new Step.Chroot("/proc/42/root"));
        assertEquals(Op.SETSID, steps.get(chroot - 1).op(), steps.toString());
        assertTrue(steps.get(chroot - 2) instanceof Step.Clone, steps.toString());
        assertTrue(steps.stream().filter(s -> s instanceof Step.ConsoleAttach || s instanceof Step.Lookup || s instanceof Step.Chdir)
                .allMatch(s -> steps.indexOf(s) > chroot), steps.toString());
        assertEquals(1, steps.stream().filter(s -> s instanceof Step.Chroot).count());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new ExecPlanRequest(List.of(ns("mount", true)),
                plain.spec(), plain.mode(), 0, false, false, Optional.empty(), "c1", bundle.toString(), Optional.of("/proc/42/root")));
    }

    private static ContainerNamespace ns(String type, boolean owned) {
        return new ContainerNamespace(type, "/proc/42/ns/" + type, owned);
    }

    private static List<String> types(List<ContainerNamespace> joins) {
        return joins.stream().map(ContainerNamespace::type).toList();
    }

    @Test
    void aNamespaceTheContainersUserDoesNotOwnIsJoinedBeforeTheUserNamespaceAndMountIsLast() {
        List<ContainerNamespace> order = ExecPlanner.joinOrder(List.of(ns("mount", true), ns("network", false), ns("pid", true),
                ns("user", true), ns("uts", true)));
        assertEquals(List.of("network", "user", "uts", "pid", "mount"), types(order));
    }

    @Test
    void withoutAUserNamespaceTheOrderIsCreates() {
        List<ContainerNamespace> order = ExecPlanner.joinOrder(List.of(ns("mount", false), ns("pid", false), ns("network", false), ns("ipc", false)));
        assertEquals(List.of("ipc", "network", "pid", "mount"), types(order));
    }

    @Test
    void thePlanOpensEveryNamespaceBeforeJoiningForksAndHasNoReady() throws Exception {
        ExecPlanRequest request = request(List.of(ns("user", true), ns("pid", true)), false, Step.Clone.Mode.DETACH_ONCE_EXECED, 2, java.util.Optional.empty());
        Process PROCESS = request.process();
        Plan plan = ExecPlanner.plan(request);
        List<Step> steps = plan.steps().stream().map(PlannedStep::step).toList();
        assertEquals(new Step.OpenNamespace("/proc/42/ns/user", LinuxConstants.CLONE_NEWUSER), steps.get(0));
        assertEquals(new Step.OpenNamespace("/proc/42/ns/pid", LinuxConstants.CLONE_NEWPID), steps.get(1));
        assertEquals(new Step.EnterNamespaces(), steps.get(2));
        assertEquals(new Step.Clone(0, Step.Clone.Mode.DETACH_ONCE_EXECED, List.of()), steps.get(3));
        assertEquals(new Step.Sync(SyncPoint.CGROUP), steps.get(5));
        assertTrue(steps.contains(new Step.WriteFile("/proc/self/oom_score_adj", "5")));
        assertTrue(steps.contains(new Step.CloseFds(2)));
        assertTrue(steps.stream().noneMatch(s -> s instanceof Step.Ready || s instanceof Step.AwaitStart), steps.toString());
        assertEquals(new Step.Exec("", PROCESS.args(), PROCESS.env()), steps.getLast());
    }

    @Test
    void inTheForegroundTheHelperLeavesJrunsSessionAndRelaysSignals() throws Exception {
        Plan plan = ExecPlanner.plan(request(List.of(), false, Step.Clone.Mode.FOREGROUND, 0, java.util.Optional.empty()));
        List<Step> steps = plan.steps().stream().map(PlannedStep::step).toList();
        assertEquals(new Step.Setsid(), steps.get(0));
        assertTrue(steps.get(1) instanceof Step.Clone clone && !clone.relayedSignals().isEmpty(), steps.toString());
    }

    @Test
    void aTerminalConnectsFirstAndAttachesAfterTheCloneWithoutDevConsole() throws Exception {
        Plan plan = ExecPlanner.plan(request(List.of(ns("mount", true)), true, Step.Clone.Mode.DETACH_ONCE_EXECED, 0,
                java.util.Optional.of(java.nio.file.Path.of("/run/console.sock"))));
        List<Op> ops = plan.steps().stream().map(p -> p.step().op()).toList();
        assertEquals(Op.CONSOLE_CONNECT, ops.getFirst());
        int attach = ops.indexOf(Op.CONSOLE_ATTACH);
        assertTrue(attach > ops.indexOf(Op.CLONE) && attach > ops.lastIndexOf(Op.SETSID) && attach < ops.indexOf(Op.SETRESUID), ops.toString());
    }

    @Test
    void aDetachedTerminalWithoutASocketIsRefusedAsRuncRefusesIt() {
        PlanException e = org.junit.jupiter.api.Assertions.assertThrows(PlanException.class,
                () -> ExecPlanner.plan(request(List.of(), true, Step.Clone.Mode.DETACH_ONCE_EXECED, 0, java.util.Optional.empty())));
        assertEquals("/process/terminal", e.pointer());
    }
}
