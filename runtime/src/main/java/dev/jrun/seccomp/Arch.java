package dev.jrun.seccomp;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The architectures jrun has syscall tables for: the spec's name, the audit arch the kernel reports in
 * seccomp_data.arch, and how wide the arguments are that a filter compares (libseccomp's choice: x32 and the
 * 32-bit ABIs compare only the low 32 bits).
 */
public enum Arch {
    X86_64("SCMP_ARCH_X86_64", 0xC000003EL, true, "x86_64"),
    X86("SCMP_ARCH_X86", 0x40000003L, false, "x86"),
    /** x32 shares x86_64's audit arch; its syscall numbers carry {@link #X32_SYSCALL_BIT}. */
    X32("SCMP_ARCH_X32", 0xC000003EL, false, "x32"),
    AARCH64("SCMP_ARCH_AARCH64", 0xC00000B7L, true, "aarch64"),
    ARM("SCMP_ARCH_ARM", 0x40000028L, false, "arm");

    /** __X32_SYSCALL_BIT: set in every x32 syscall number, never in an x86_64 one. */
    public static final long X32_SYSCALL_BIT = 0x40000000L;

    private final String specName;
    private final long auditArch;
    private final boolean wideArgs;
    private final String tableName;

    Arch(String specName, long auditArch, boolean wideArgs, String tableName) {
        this.specName = specName;
        this.auditArch = auditArch;
        this.wideArgs = wideArgs;
        this.tableName = tableName;
    }

    /** SCMP_ARCH_…, as config-linux.md names it. */
    public String specName() {
        return specName;
    }

    /** AUDIT_ARCH_… as seccomp_data.arch holds it. */
    public long auditArch() {
        return auditArch;
    }

    /** Whether arguments are compared as 64-bit values (two 32-bit halves), else only their low 32 bits. */
    public boolean wideArgs() {
        return wideArgs;
    }

    String tableName() {
        return tableName;
    }

    public static Optional<Arch> ofSpecName(String name) {
        for (Arch arch : values()) {
            if (arch.specName.equals(name)) {
                return Optional.of(arch);
            }
        }
        return Optional.empty();
    }

    /** The architecture of this JVM's process, which is the one of jrun-init and of the container's programs. */
    public static Arch nativeArch() {
        String os = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return switch (os) {
            case "amd64", "x86_64" -> X86_64;
            case "aarch64", "arm64" -> AARCH64;
            default -> throw new IllegalStateException("seccomp: no syscall table for the host architecture " + os);
        };
    }

    /**
     * The architectures whose syscalls a process on a host of this native architecture can make: its own and its
     * compat ABIs. A filter's section for any other one could never run, so leaving it out changes nothing.
     */
    public Set<Arch> reachable() {
        return switch (this) {
            case X86_64 -> Set.of(X86_64, X86, X32);
            case AARCH64 -> Set.of(AARCH64, ARM);
            default -> Set.of(this);
        };
    }
}
