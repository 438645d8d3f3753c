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
            if (process.execCPUAffinity() != null) {
                ignored.add("/process/execCPUAffinity");
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
            if (linux.memoryPolicy() != null || !linux.netDevices().isEmpty()) {
                ignored.add("/linux/memoryPolicy, netDevices");
            }
        }
        return ignored;
    }

    /** Settings whose absence would make the container something else than asked: refused, not ignored. */
    public static void refuseUnsupported(Spec spec) throws PlanException {
        if (spec.linux() != null && spec.linux().intelRdt() != null) {
            throw new PlanException("/linux/intelRdt", "Intel RDT (resctrl cache and memory bandwidth allocation) is not supported by jrun; "
                    + "remove linux.intelRdt");
        }
        if (spec.linux() != null && spec.linux().mountLabel() != null && !spec.linux().mountLabel().isEmpty() && HostLsm.current().selinux()) {
            throw new PlanException("/linux/mountLabel", "SELinux is enabled on this host, and jrun does not label mounts yet; "
                    + "remove linux.mountLabel, or use runc");
        }
    }
}
