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
            if (process.apparmorProfile() != null || process.selinuxLabel() != null) {
                ignored.add("/process/apparmorProfile, /process/selinuxLabel");
            }
            if (process.ioPriority() != null || process.scheduler() != null || process.execCPUAffinity() != null) {
                ignored.add("/process/ioPriority, scheduler, execCPUAffinity");
            }
        }
        if (process != null && process.capabilities() != null) {
            var caps = process.capabilities();
            List<String> unraisable = caps.ambient().stream()
                    .filter(c -> !caps.permitted().contains(c) || !caps.inheritable().contains(c)).toList();
            if (!unraisable.isEmpty()) {
                ignored.add("/process/capabilities/ambient " + unraisable
                        + " (the kernel raises an ambient capability only if it is also permitted and inheritable)");
            }
        }
        Linux linux = spec.linux();
        if (linux != null) {
            boolean newUserNamespace = linux.namespaces().stream().anyMatch(n -> n.type().equals("user") && !n.joinsExisting());
            if (newUserNamespace && linux.devices().stream().anyMatch(d -> d.uid() != null && d.uid() != 0 || d.gid() != null && d.gid() != 0)) {
                ignored.add("/linux/devices/*/uid, gid (in a new user namespace devices are bound from the host and keep the host's owner)");
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
}
