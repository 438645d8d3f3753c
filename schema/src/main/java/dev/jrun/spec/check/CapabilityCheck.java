package dev.jrun.spec.check;

import dev.jrun.spec.model.Process;
import dev.jrun.spec.model.Spec;
import java.util.List;

/**
 * Capability names must be ones Linux knows: a misspelt name would otherwise leave the
 * process without a capability it was meant to have, or with one it was meant to lose.
 */
final class CapabilityCheck implements SemanticCheck {
    /** capability(7), in bit order: CAP_CHOWN is 0, CAP_CHECKPOINT_RESTORE is 40. */
    static final List<String> KNOWN = List.of(
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
            "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
            "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
            "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
            "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
            "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN",
            "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
            "CAP_CHECKPOINT_RESTORE");

    @Override
    public String name() {
        return "capabilities";
    }

    @Override
    public void check(Spec spec, CheckContext context, Findings findings) {
        if (spec.process() == null || spec.process().capabilities() == null) {
            return;
        }
        Process.Capabilities caps = spec.process().capabilities();
        checkSet("bounding", caps.bounding(), findings);
        checkSet("effective", caps.effective(), findings);
        checkSet("inheritable", caps.inheritable(), findings);
        checkSet("permitted", caps.permitted(), findings);
        checkSet("ambient", caps.ambient(), findings);
    }

    private static void checkSet(String set, List<String> names, Findings findings) {
        for (int i = 0; i < names.size(); i++) {
            if (!KNOWN.contains(names.get(i))) {
                findings.error("/process/capabilities/" + set + "/" + i, "unknown capability", "a name from capabilities(7), e.g. CAP_NET_ADMIN",
                        Findings.quoted(names.get(i)));
            }
        }
    }
}
