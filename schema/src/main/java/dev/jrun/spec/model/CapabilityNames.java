package dev.jrun.spec.model;

import java.util.List;

/** The Linux capability names of capabilities(7), in bit order: CAP_CHOWN is bit 0, CAP_CHECKPOINT_RESTORE bit 40. */
public final class CapabilityNames {
    public static final List<String> ALL = List.of(
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
            "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
            "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
            "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
            "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
            "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN",
            "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
            "CAP_CHECKPOINT_RESTORE");

    private CapabilityNames() {}

    /** The capability's bit number, or -1 for a name Linux does not know. */
    public static int bitOf(String name) {
        return ALL.indexOf(name);
    }

    /** The set as a 64-bit mask; unknown names (refused by validation) are left out. */
    public static long maskOf(List<String> names) {
        long mask = 0;
        for (String name : names) {
            int bit = bitOf(name);
            if (bit >= 0) {
                mask |= 1L << bit;
            }
        }
        return mask;
    }
}
