package dev.jrun.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.plan.ExecPlanRequest.ContainerNamespace;
import dev.jrun.spec.model.Process;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExecPlannerTest {
    private static final Process PROCESS = new Process(false, null, new Process.User(1000, 1000, null, List.of(), null),
            List.of("sh", "-c", "true"), null, List.of("PATH=/bin"), "/", null, List.of(), null, null, 5, null, null, null, null);

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
        Plan plan = ExecPlanner.plan(new ExecPlanRequest(List.of(ns("user", true), ns("pid", true)), PROCESS, Step.Clone.Mode.DETACH, 2, false, false));
        List<Step> steps = plan.steps().stream().map(PlannedStep::step).toList();
        assertEquals(new Step.OpenNamespace("/proc/42/ns/user", LinuxConstants.CLONE_NEWUSER), steps.get(0));
        assertEquals(new Step.OpenNamespace("/proc/42/ns/pid", LinuxConstants.CLONE_NEWPID), steps.get(1));
        assertEquals(new Step.EnterNamespaces(), steps.get(2));
        assertEquals(new Step.Clone(0, Step.Clone.Mode.DETACH, List.of()), steps.get(3));
        assertEquals(new Step.Sync(SyncPoint.CGROUP), steps.get(5));
        assertTrue(steps.contains(new Step.WriteFile("/proc/self/oom_score_adj", "5")));
        assertTrue(steps.contains(new Step.CloseFds(2)));
        assertTrue(steps.stream().noneMatch(s -> s instanceof Step.Ready || s instanceof Step.AwaitStart), steps.toString());
        assertEquals(new Step.Exec("", PROCESS.args(), PROCESS.env()), steps.getLast());
    }

    @Test
    void inTheForegroundTheHelperLeavesJrunsSessionAndRelaysSignals() throws Exception {
        Plan plan = ExecPlanner.plan(new ExecPlanRequest(List.of(), PROCESS, Step.Clone.Mode.FOREGROUND, 0, false, false));
        List<Step> steps = plan.steps().stream().map(PlannedStep::step).toList();
        assertEquals(new Step.Setsid(), steps.get(0));
        assertTrue(steps.get(1) instanceof Step.Clone clone && !clone.relayedSignals().isEmpty(), steps.toString());
    }
}
