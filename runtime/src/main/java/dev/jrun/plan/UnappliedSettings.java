package dev.jrun.plan;

import dev.jrun.spec.model.Linux;
import dev.jrun.spec.model.Process;
import dev.jrun.spec.model.Spec;
import java.util.ArrayList;
import java.util.List;

/**
 * Spec settings this build accepts but does not apply yet. Silence would be a lie (a container
 * that was meant to lose capabilities would keep them), so create names each one on stderr; the
 * list shrinks as features land, and `jrun features` only claims what is applied.
 */
public final class UnappliedSettings {
    private UnappliedSettings() {}

    /** Pointers of settings present in spec that the runtime ignores, each with why it matters. */
    public static List<String> of(Spec spec) {
        List<String> ignored = new ArrayList<>();
        Process process = spec.process();
        if (process != null) {
            if (process.capabilities() != null) {
                ignored.add("/process/capabilities (the process keeps the capabilities of root in its user namespace)");
            }
            if (process.oomScoreAdj() != null) {
                ignored.add("/process/oomScoreAdj");
            }
            if (process.apparmorProfile() != null || process.selinuxLabel() != null) {
                ignored.add("/process/apparmorProfile, /process/selinuxLabel");
            }
            if (process.ioPriority() != null || process.scheduler() != null || process.execCPUAffinity() != null) {
                ignored.add("/process/ioPriority, scheduler, execCPUAffinity");
            }
        }
        if (spec.hooks() != null) {
            ignored.add("/hooks (no hook is run)");
        }
        Linux linux = spec.linux();
        if (linux != null) {
            if (linux.resources() != null || linux.cgroupsPath() != null) {
                ignored.add("/linux/resources, /linux/cgroupsPath (no cgroup limits are set)");
            }
            if (!linux.maskedPaths().isEmpty() || !linux.readonlyPaths().isEmpty()) {
                ignored.add("/linux/maskedPaths, /linux/readonlyPaths");
            }
            if (!linux.devices().isEmpty()) {
                ignored.add("/linux/devices");
            }
            if (!linux.sysctl().isEmpty()) {
                ignored.add("/linux/sysctl");
            }
            if (linux.seccomp() != null) {
                ignored.add("/linux/seccomp (no system call filter)");
            }
            if (linux.personality() != null || linux.intelRdt() != null || linux.memoryPolicy() != null || !linux.netDevices().isEmpty()) {
                ignored.add("/linux/personality, intelRdt, memoryPolicy, netDevices");
            }
        }
        return ignored;
    }

    /** Settings whose absence would make the container something else than asked: refused, not ignored. */
    public static void refuseUnsupported(Spec spec) throws PlanException {
        if (spec.process() != null && spec.process().isTerminal()) {
            throw new PlanException("/process/terminal", "terminal: true (a console for the container) is not supported yet; "
                    + "set process.terminal to false to pass jrun's stdio through");
        }
        if (spec.jrun() != null && spec.jrun().veth() != null) {
            throw new PlanException("/jrun/veth", "veth networking is validated but not set up by this build yet; "
                    + "remove jrun.veth to run the container without it");
        }
    }
}
