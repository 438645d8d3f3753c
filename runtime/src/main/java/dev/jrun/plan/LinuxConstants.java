package dev.jrun.plan;

/** Kernel constants the plan carries (x86_64 and every other Linux architecture jrun targets share them). */
public final class LinuxConstants {
    private LinuxConstants() {}

    // clone(2) / unshare(2) / setns(2)
    public static final long CLONE_NEWTIME = 0x00000080L;
    public static final long CLONE_NEWNS = 0x00020000L;
    public static final long CLONE_NEWCGROUP = 0x02000000L;
    public static final long CLONE_NEWUTS = 0x04000000L;
    public static final long CLONE_NEWIPC = 0x08000000L;
    public static final long CLONE_NEWUSER = 0x10000000L;
    public static final long CLONE_NEWPID = 0x20000000L;
    public static final long CLONE_NEWNET = 0x40000000L;

    // mount(2)
    public static final long MS_RDONLY = 1L;
    public static final long MS_NOSUID = 2L;
    public static final long MS_NODEV = 4L;
    public static final long MS_NOEXEC = 8L;
    public static final long MS_SYNCHRONOUS = 16L;
    public static final long MS_REMOUNT = 32L;
    public static final long MS_MANDLOCK = 64L;
    public static final long MS_DIRSYNC = 128L;
    public static final long MS_NOSYMFOLLOW = 256L;
    public static final long MS_NOATIME = 1024L;
    public static final long MS_NODIRATIME = 2048L;
    public static final long MS_BIND = 4096L;
    public static final long MS_MOVE = 8192L;
    public static final long MS_REC = 16384L;
    public static final long MS_SILENT = 32768L;
    public static final long MS_UNBINDABLE = 1L << 17;
    public static final long MS_PRIVATE = 1L << 18;
    public static final long MS_SLAVE = 1L << 19;
    public static final long MS_SHARED = 1L << 20;
    public static final long MS_RELATIME = 1L << 21;
    /**
     * The mount flags the kernel locks on a mount that a user namespace inherits: a remount inside it
     * must repeat them or it fails with EPERM. One list, used for root.readonly and readonlyPaths.
     */
    public static final long LOCKED_ON_REMOUNT = MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME | MS_RELATIME;
    public static final long MS_STRICTATIME = 1L << 24;
    public static final long MS_LAZYTIME = 1L << 25;

    // prctl(2)
    public static final long PR_SET_DUMPABLE = 4L;
    public static final long PR_SET_KEEPCAPS = 8L;
    public static final long PR_SET_NO_NEW_PRIVS = 38L;

    // signal(7): the numbers x86_64, arm64 and the other "generic" architectures share (not alpha, mips, sparc)

    // stat(2) file types, for mknod(2)
    public static final long S_IFIFO = 0010000;
    public static final long S_IFCHR = 0020000;
    public static final long S_IFBLK = 0060000;
}
