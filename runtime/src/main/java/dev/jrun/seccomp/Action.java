package dev.jrun.seccomp;

import java.util.List;
import java.util.Optional;

/**
 * What the filter returns for a syscall: the kernel's SECCOMP_RET_* action and its 16 bits of data (the errno of
 * ERRNO, the message of TRACE).
 */
public record Action(Kind kind, int data) {
    /** EPERM: what ERRNO and TRACE return when the spec gives no errnoRet (runc's choice, config-linux.md's default). */
    public static final int DEFAULT_ERRNO = 1;
    /** The kernel caps an ERRNO's data at MAX_ERRNO. */
    public static final int MAX_ERRNO = 4095;

    public enum Kind {
        KILL_PROCESS(0x80000000L, "SCMP_ACT_KILL_PROCESS"),
        KILL_THREAD(0x00000000L, "SCMP_ACT_KILL_THREAD"),
        TRAP(0x00030000L, "SCMP_ACT_TRAP"),
        ERRNO(0x00050000L, "SCMP_ACT_ERRNO"),
        USER_NOTIF(0x7fc00000L, "SCMP_ACT_NOTIFY"),
        TRACE(0x7ff00000L, "SCMP_ACT_TRACE"),
        LOG(0x7ffc0000L, "SCMP_ACT_LOG"),
        ALLOW(0x7fff0000L, "SCMP_ACT_ALLOW");

        private final long value;
        private final String specName;

        Kind(long value, String specName) {
            this.value = value;
            this.specName = specName;
        }

        /** Whether the action carries data (an errno or a tracer's message). */
        public boolean takesData() {
            return this == ERRNO || this == TRACE;
        }
    }

    public Action {
        if (data < 0 || data > 0xffff || data != 0 && !kind.takesData()) {
            throw new IllegalArgumentException(kind + " cannot carry data " + data);
        }
    }

    public static Action of(Kind kind) {
        return new Action(kind, kind.takesData() ? DEFAULT_ERRNO : 0);
    }

    /** The 32-bit value a filter returns (SECCOMP_RET_ACTION_FULL | SECCOMP_RET_DATA). */
    public int ret() {
        return (int) (kind.value | data);
    }

    /** Whether the syscall goes ahead (LOG: after it is logged). */
    public boolean lets() {
        return kind == Kind.ALLOW || kind == Kind.LOG;
    }

    /** The spec's names of the actions jrun applies, as `jrun features` lists them. */
    public static List<String> specNames() {
        return List.of("SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD",
                "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY", "SCMP_ACT_TRACE", "SCMP_ACT_TRAP");
    }

    /** The kind a spec name means: SCMP_ACT_KILL is KILL_THREAD, as in libseccomp and runc. */
    public static Optional<Kind> kindOf(String specName) {
        if ("SCMP_ACT_KILL".equals(specName)) {
            return Optional.of(Kind.KILL_THREAD);
        }
        for (Kind kind : Kind.values()) {
            if (kind.specName.equals(specName)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return kind.specName + (kind.takesData() ? "(" + data + ")" : "");
    }
}
