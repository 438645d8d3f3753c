package dev.jrun.sys;

import java.util.Locale;

/**
 * The system calls jrun's JVM makes ({@link Syscall}) and their numbers on the two architectures jrun runs on.
 * Each number is the kernel's, written once:
 * <ul>
 *   <li>x86_64: arch/x86/entry/syscalls/syscall_64.tbl, as installed in {@code <asm/unistd_64.h>}
 *       (/usr/include/x86_64-linux-gnu/asm/unistd_64.h on Debian);</li>
 *   <li>aarch64: the generic table, include/uapi/asm-generic/unistd.h ({@code /usr/include/asm-generic/unistd.h}),
 *       which arm64 uses as it is.</li>
 * </ul>
 * aarch64 has no open, poll, eventfd, send or recv: openat(AT_FDCWD), ppoll, eventfd2, sendto and recvfrom (with no
 * address) stand for them, on both architectures, so that both run the same code. {@code SyscallNumberTest} checks
 * the numbers against those headers where the machine has them.
 */
public enum SyscallNumber {
    READ(0, 63),
    WRITE(1, 64),
    CLOSE(3, 57),
    IOCTL(16, 29),
    FLOCK(73, 32),
    OPENAT(257, 56),
    PPOLL(271, 73),
    EVENTFD2(290, 19),
    SOCKET(41, 198),
    CONNECT(42, 203),
    SENDTO(44, 206),
    RECVFROM(45, 207),
    SENDMSG(46, 211),
    RECVMSG(47, 212),
    BIND(49, 200),
    LISTEN(50, 201),
    SETSOCKOPT(54, 208),
    GETSOCKOPT(55, 209),
    GETEUID(107, 175),
    SETSID(112, 157),
    ACCEPT4(288, 242),
    SETNS(308, 268),
    RENAMEAT2(316, 276),
    BPF(321, 280),
    PIDFD_SEND_SIGNAL(424, 424),
    PIDFD_OPEN(434, 434),
    UMOUNT2(166, 39);

    /** "amd64" and "aarch64" are what the JDK calls them; anything else has no numbers here. */
    private static final String ARCH = System.getProperty("os.arch");

    private final int x86_64;
    private final int aarch64;

    SyscallNumber(int x86_64, int aarch64) {
        this.x86_64 = x86_64;
        this.aarch64 = aarch64;
    }

    /** The number on this machine's architecture; an architecture jrun has no table for fails on the first call. */
    public long number() {
        return switch (ARCH) {
            case "amd64", "x86_64" -> x86_64;
            case "aarch64" -> aarch64;
            default -> throw new UnsupportedOperationException("jrun knows the system call numbers of x86_64 and aarch64 only,"
                    + " and this JVM runs on os.arch " + ARCH + " (" + kernelName() + " cannot be called)");
        };
    }

    /** The kernel's name, as in {@code __NR_<name>}. */
    public String kernelName() {
        return name().toLowerCase(Locale.ROOT);
    }

    int x86_64() {
        return x86_64;
    }

    int aarch64() {
        return aarch64;
    }
}
