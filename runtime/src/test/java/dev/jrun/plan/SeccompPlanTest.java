package dev.jrun.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.spec.model.Spec;
import dev.jrun.spec.validation.SpecValidator;
import dev.jrun.spec.validation.ValidationReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where SECCOMP and PROCESS_ATTR go in a create plan, and what the planner refuses. */
class SeccompPlanTest {
    private static final String FILTER = """
              seccomp:
                defaultAction: SCMP_ACT_ALLOW
                syscalls: [{names: [kcmp], action: SCMP_ACT_ERRNO}]
            """;

    @TempDir
    Path bundle;

    private Plan plan(String processYaml, String linuxYaml) throws Exception {
        Files.createDirectories(bundle.resolve("rootfs"));
        Path file = Files.writeString(bundle.resolve("config.yaml"), """
                ociVersion: 1.2.0
                root: {path: rootfs}
                process:
                  cwd: /
                  user: {uid: 1000, gid: 1000}
                  args: [sh]
                %slinux:
                  namespaces: [{type: pid}, {type: mount}]
                %s""".formatted(processYaml, linuxYaml));
        ValidationReport report = new SpecValidator().validate(file);
        Spec spec = report.spec();
        assertTrue(spec != null, report.problems().toString());
        return CreatePlanner.plan(new PlanRequest(spec, bundle, Path.of("/run/jrun/box/start.sock"), false, Step.Clone.Mode.DETACH, 0, List.of(), false));
    }

    private static List<Op> ops(Plan plan) {
        return plan.steps().stream().map(s -> s.step().op()).toList();
    }

    @Test
    void withNoNewPrivilegesTheFilterIsTheStepBeforeTheExec() throws Exception {
        List<Op> ops = ops(plan("  noNewPrivileges: true\n", FILTER));
        assertEquals(List.of(Op.AWAIT_START, Op.SECCOMP, Op.EXEC), ops.subList(ops.size() - 3, ops.size()));
    }

    @Test
    void withoutItAndWithoutCapSysAdminItComesBeforeTheCredentials() throws Exception {
        List<Op> ops = ops(plan("  capabilities: {bounding: [CAP_KILL], effective: [CAP_KILL], permitted: [CAP_KILL]}\n", FILTER));
        int seccomp = ops.indexOf(Op.SECCOMP);
        assertTrue(seccomp >= 0 && seccomp < ops.indexOf(Op.DROP_BOUNDING) && seccomp < ops.indexOf(Op.SETRESUID), ops.toString());
        assertEquals(1, ops.stream().filter(o -> o == Op.SECCOMP).count());
    }

    @Test
    void keepingCapSysAdminItWaitsForTheExec() throws Exception {
        List<Op> ops = ops(plan("  capabilities: {bounding: [CAP_SYS_ADMIN], effective: [CAP_SYS_ADMIN], permitted: [CAP_SYS_ADMIN]}\n", FILTER));
        assertEquals(ops.size() - 2, ops.indexOf(Op.SECCOMP));
    }

    @Test
    void aFilterThatStopsTheHelperIsRefusedNamingWhatItBlocks() {
        PlanException e = assertThrows(PlanException.class, () -> plan("", """
                  seccomp:
                    defaultAction: SCMP_ACT_ALLOW
                    syscalls: [{names: [setresuid], action: SCMP_ACT_KILL}]
                """));
        assertEquals("/linux/seccomp", e.pointer());
        assertTrue(e.getMessage().contains("setresuid (SCMP_ACT_KILL_THREAD)") && e.getMessage().contains("noNewPrivileges"), e.getMessage());
    }

    @Test
    void withNoNewPrivilegesTheCredentialCallsMayBeFiltered() throws Exception {
        plan("  noNewPrivileges: true\n", """
                  seccomp:
                    defaultAction: SCMP_ACT_ALLOW
                    syscalls: [{names: [setresuid, capset, setgroups], action: SCMP_ACT_KILL}]
                """);
    }

    @Test
    void notifyConnectsToTheAgentBeforeTheClone() throws Exception {
        Plan plan = plan("  noNewPrivileges: true\n", """
                  seccomp:
                    defaultAction: SCMP_ACT_ALLOW
                    listenerPath: /run/agent.sock
                    listenerMetadata: m
                    syscalls: [{names: [mkdir], action: SCMP_ACT_NOTIFY}]
                """);
        List<Op> ops = ops(plan);
        Step.Seccomp connect = (Step.Seccomp) plan.steps().get(ops.indexOf(Op.SECCOMP)).step();
        assertEquals(new Step.Seccomp(0, "", "/run/agent.sock"), connect);
        assertTrue(ops.indexOf(Op.SECCOMP) < ops.indexOf(Op.CLONE));
        Step.Seccomp load = (Step.Seccomp) plan.steps().get(ops.lastIndexOf(Op.SECCOMP)).step();
        assertEquals(8, load.flags() & 8, "SECCOMP_FILTER_FLAG_NEW_LISTENER");
        assertTrue(load.text().startsWith("{\"ociVersion\":\"1.2.0\",\"fds\":[\"seccompFd\"],\"pid\":\u0001,\"metadata\":\"m\",\"state\":{"), load.text());
        assertTrue(load.text().contains("\"id\":\"box\",\"status\":\"creating\",\"pid\":\u0001,"), load.text());
    }

    @Test
    void personalityIoPriorityAndSchedulerArePlannedBeforeTheCredentials() throws Exception {
        Plan plan = plan("  ioPriority: {class: IOPRIO_CLASS_IDLE, priority: 0}\n  scheduler: {policy: SCHED_BATCH, nice: 3, flags: [SCHED_FLAG_RESET_ON_FORK]}\n",
                "  personality: {domain: LINUX32}\n");
        List<Step.ProcessAttr> attrs = plan.steps().stream().map(PlannedStep::step).filter(s -> s instanceof Step.ProcessAttr)
                .map(s -> (Step.ProcessAttr) s).toList();
        assertEquals(List.of(new Step.ProcessAttr(Step.ProcessAttr.Attribute.PERSONALITY, List.of(8L)),
                new Step.ProcessAttr(Step.ProcessAttr.Attribute.IOPRIO, List.of(3L << 13)),
                new Step.ProcessAttr(Step.ProcessAttr.Attribute.SCHEDULER, List.of(3L, 1L, 3L, 0L, 0L, 0L, 0L))), attrs);
        List<Op> ops = ops(plan);
        assertTrue(ops.lastIndexOf(Op.PROCESS_ATTR) < ops.indexOf(Op.SETRESUID));
    }

    @Test
    void anAppArmorProfileIsWrittenForTheExecOrWarnedAboutWithoutAppArmor() throws Exception {
        Plan plan = plan("  apparmorProfile: jrun-test\n", "");
        boolean written = plan.steps().stream().anyMatch(s -> s.step() instanceof Step.WriteFile w && w.content().equals("exec jrun-test"));
        if (HostLsm.current().apparmor()) {
            assertTrue(written, PlanPrinter.print(plan));
        } else {
            assertTrue(!written && plan.warnings().stream().anyMatch(w -> w.startsWith("/process/apparmorProfile: AppArmor is not enabled")),
                    plan.warnings().toString());
        }
    }

    @Test
    void refusals() {
        assertEquals("/linux/personality/flags", assertThrows(PlanException.class,
                () -> plan("", "  personality: {domain: LINUX, flags: [SOMETHING]}\n")).pointer());
        assertEquals("/linux/intelRdt", assertThrows(PlanException.class,
                () -> plan("", "  intelRdt: {closID: x}\n")).pointer());
        assertEquals("/linux/seccomp/syscalls/0/names", assertThrows(PlanException.class, () -> plan("", """
                  seccomp:
                    defaultAction: SCMP_ACT_ALLOW
                    syscalls: [{names: [no_such_call], action: SCMP_ACT_ERRNO}]
                """)).pointer());
    }
}
