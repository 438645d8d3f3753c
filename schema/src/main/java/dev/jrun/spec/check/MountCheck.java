package dev.jrun.spec.check;

import dev.jrun.spec.model.Mount;
import dev.jrun.spec.model.Spec;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Mount destinations are absolute and stay inside the rootfs; a mount needs a type unless it
 * is a bind mount; a bind mount's source must exist (config.md "Mounts").
 */
final class MountCheck implements SemanticCheck {
    @Override
    public String name() {
        return "mounts";
    }

    @Override
    public void check(Spec spec, CheckContext context, Findings findings) {
        for (int i = 0; i < spec.mounts().size(); i++) {
            Mount mount = spec.mounts().get(i);
            String at = "/mounts/" + i;
            PathRules.requireAbsoluteContained(at + "/destination", mount.destination(), "a mount destination", findings);
            checkProcDestination(at + "/destination", mount, findings);
            boolean bind = mount.options().contains("bind") || mount.options().contains("rbind") || "bind".equals(mount.type());
            if (!bind && (mount.type() == null || mount.type().isEmpty())) {
                findings.error(at + "/type", "a mount that is not a bind mount needs a filesystem type",
                        "a type such as tmpfs, proc or sysfs, or the option \"bind\"", "nothing");
            }
            int copyUp = mount.options().indexOf("tmpcopyup");
            if (copyUp >= 0 && !"tmpfs".equals(mount.type())) {
                // runc and crun honour it for tmpfs only; elsewhere the kernel would get it as filesystem data.
                findings.error(at + "/options/" + copyUp, "tmpcopyup copies the image's files into a new tmpfs; this mount is not one",
                        "type tmpfs, or no tmpcopyup", Findings.quoted(String.valueOf(mount.type())));
            }
            if (bind) {
                if (mount.source() == null || mount.source().isEmpty()) {
                    findings.error(at + "/source", "a bind mount needs a source", "a host path", "nothing");
                } else {
                    Path source = context.bundle().resolve(mount.source()).normalize();
                    if (!Files.exists(source)) {
                        findings.error(at + "/source", "the bind mount source " + source + " does not exist",
                                "an existing file or directory on the host", Findings.quoted(mount.source()));
                    }
                }
            }
            checkPropagationOptions(at, mount, findings);
        }
    }

    /**
     * A mount over a file in /proc can hide what the kernel reports (e.g. replace
     * /proc/sys/kernel/core_pattern's view), the ground of runc CVE-2019-19921; like runc, only /proc
     * itself and the files lxcfs replaces are accepted.
     */
    private static void checkProcDestination(String at, Mount mount, Findings findings) {
        if (mount.destination() == null || !mount.destination().startsWith("/")) {
            return;
        }
        String destination = java.nio.file.Path.of(mount.destination()).normalize().toString();
        if (destination.startsWith("/proc/") && !PROC_FILES_ALLOWED.contains(destination)) {
            findings.error(at, "a mount over a /proc file is refused: it could hide or fake what the kernel reports",
                    "/proc itself, or one of " + String.join(", ", PROC_FILES_ALLOWED), Findings.quoted(mount.destination()));
        }
    }

    private static final java.util.List<String> PROC_FILES_ALLOWED = java.util.List.of(
            "/proc/cpuinfo", "/proc/diskstats", "/proc/meminfo", "/proc/stat", "/proc/swaps", "/proc/uptime",
            "/proc/loadavg", "/proc/slabinfo", "/proc/net/dev");

    /** One mount can have one propagation type; two would silently let the last win. */
    private static void checkPropagationOptions(String at, Mount mount, Findings findings) {
        String first = null;
        for (int j = 0; j < mount.options().size(); j++) {
            String option = mount.options().get(j);
            if (MountPropagation.isPropagation(option)) {
                if (first != null && !first.equals(option)) {
                    findings.error(at + "/options/" + j, "conflicting propagation options on one mount",
                            "one of " + String.join(", ", MountPropagation.NAMES), "\"" + first + "\" and \"" + option + "\"");
                }
                first = option;
            }
        }
    }
}
