package dev.jrun.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * bpf(2), for the one use jrun has of it: loading a cgroup device program (BPF_PROG_TYPE_CGROUP_DEVICE) and attaching
 * it to a cgroup v2 directory. Called through syscall(2), as glibc has no wrapper; the layouts of union bpf_attr are
 * those of linux/bpf.h, the same on every architecture.
 */
public final class Bpf {
    /** The program's declared license: device programs call no GPL-only helper, so the kernel takes any. */
    static final String LICENSE = "Apache-2.0";

    private static final long BPF_PROG_LOAD = 5;
    private static final long BPF_PROG_ATTACH = 8;
    private static final int BPF_PROG_TYPE_CGROUP_DEVICE = 15;
    private static final int BPF_CGROUP_DEVICE = 6;
    /** Programs of the cgroups above keep running for this one, and one below may add its own. */
    private static final int BPF_F_ALLOW_MULTI = 1 << 1;
    private static final int LOG_LEVEL = 1;
    private static final int LOG_SIZE = 1 << 20;
    /** How much of a verifier's log an error quotes: its end says why. */
    private static final int LOG_TAIL_LINES = 12;
    private static final int O_CLOEXEC = 02000000;

    /** O_DIRECTORY, which arm64 numbers its own way; null on an architecture jrun has no system call numbers for. */
    private static final Integer O_DIRECTORY = switch (System.getProperty("os.arch").toLowerCase(Locale.ROOT)) {
        case "amd64", "x86_64" -> 0200000;
        case "aarch64", "arm64" -> 040000;
        default -> null;
    };

    private Bpf() {}

    /**
     * Loads instructions as a cgroup device program and attaches it to the cgroup v2 directory, after the programs
     * already there (BPF_F_ALLOW_MULTI: every one must allow an access). The program lives as long as its attachment,
     * which ends when the cgroup is removed; the descriptors used are closed.
     *
     * @param name the program's name as bpftool lists it: up to 15 letters, digits, '_' or '.'
     */
    public static void attachDeviceProgram(byte[] instructions, String name, Path cgroup) throws NativeException {
        if (O_DIRECTORY == null) {
            throw new NativeException("bpf() on " + System.getProperty("os.arch") + " (jrun knows its number on x86_64 and"
                    + " aarch64 only)", Errno.ENOSYS);
        }
        int program = load(instructions, name);
        try {
            int directory = openDirectory(cgroup);
            try {
                attach(program, directory, cgroup);
            } finally {
                close(directory);
            }
        } finally {
            close(program);
        }
    }

    private static int load(byte[] instructions, String name) throws NativeException {
        String call = "bpf(BPF_PROG_LOAD) of a cgroup device program of " + instructions.length / 8 + " instructions";
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment insns = arena.allocate(instructions.length, 8);
            MemorySegment.copy(instructions, 0, insns, ValueLayout.JAVA_BYTE, 0, instructions.length);
            MemorySegment license = arena.allocateFrom(LICENSE);
            // Without a log first: a log too small for a long program's trace would fail a load that verifies.
            long fd = bpf(BPF_PROG_LOAD, loadAttr(arena, insns, instructions.length / 8, license, name, null));
            if (fd >= 0) {
                return (int) fd;
            }
            int errno = (int) -fd;
            MemorySegment log = arena.allocate(LOG_SIZE);
            long again = bpf(BPF_PROG_LOAD, loadAttr(arena, insns, instructions.length / 8, license, name, log));
            if (again >= 0) {
                return (int) again; // what failed once did not fail again (EAGAIN)
            }
            String said = tail(log.getString(0, StandardCharsets.UTF_8));
            throw said.isEmpty() ? new NativeException(call, errno) : new NativeException(call, errno, "the kernel's verifier said: " + said);
        }
    }

    /** union bpf_attr for BPF_PROG_LOAD, up to expected_attach_type (the kernel zeroes what it is not given). */
    private static MemorySegment loadAttr(Arena arena, MemorySegment insns, int count, MemorySegment license, String name,
            MemorySegment log) {
        MemorySegment attr = arena.allocate(72, 8);
        attr.set(ValueLayout.JAVA_INT, 0, BPF_PROG_TYPE_CGROUP_DEVICE); // prog_type
        attr.set(ValueLayout.JAVA_INT, 4, count);                      // insn_cnt
        attr.set(ValueLayout.JAVA_LONG, 8, insns.address());           // insns
        attr.set(ValueLayout.JAVA_LONG, 16, license.address());        // license
        if (log != null) {
            attr.set(ValueLayout.JAVA_INT, 24, LOG_LEVEL);             // log_level
            attr.set(ValueLayout.JAVA_INT, 28, (int) log.byteSize());  // log_size
            attr.set(ValueLayout.JAVA_LONG, 32, log.address());        // log_buf
        }
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        MemorySegment.copy(bytes, 0, attr, ValueLayout.JAVA_BYTE, 48, Math.min(bytes.length, 15)); // prog_name[16]
        attr.set(ValueLayout.JAVA_INT, 68, BPF_CGROUP_DEVICE);         // expected_attach_type
        return attr;
    }

    private static void attach(int program, int directory, Path cgroup) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(20, 8);
            attr.set(ValueLayout.JAVA_INT, 0, directory);         // target_fd
            attr.set(ValueLayout.JAVA_INT, 4, program);           // attach_bpf_fd
            attr.set(ValueLayout.JAVA_INT, 8, BPF_CGROUP_DEVICE); // attach_type
            attr.set(ValueLayout.JAVA_INT, 12, BPF_F_ALLOW_MULTI); // attach_flags
            long result = bpf(BPF_PROG_ATTACH, attr);
            if (result < 0) {
                throw new NativeException("bpf(BPF_PROG_ATTACH, BPF_CGROUP_DEVICE, BPF_F_ALLOW_MULTI) to " + cgroup, (int) -result);
            }
        }
    }

    private static int openDirectory(Path directory) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            long fd = Syscall.call(SyscallNumber.OPENAT, Syscall.AT_FDCWD, arena.allocateFrom(directory.toString()).address(),
                    O_DIRECTORY | O_CLOEXEC, 0); // O_RDONLY
            if (fd < 0) {
                throw new NativeException("open(" + directory + ", O_RDONLY|O_DIRECTORY)", (int) -fd);
            }
            return (int) fd;
        }
    }

    private static void close(int fd) {
        Syscall.call(SyscallNumber.CLOSE, fd);
    }

    /** The last lines of a verifier's log, on one line. */
    private static String tail(String log) {
        List<String> lines = log.strip().lines().filter(l -> !l.isBlank()).toList();
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
    }

    /** The result, or -errno. */
    private static long bpf(long command, MemorySegment attr) {
        return Syscall.call(SyscallNumber.BPF, command, attr.address(), attr.byteSize());
    }
}
