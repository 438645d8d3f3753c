package dev.jrun.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jrun.spec.model.Linux;
import java.io.IOException;
import java.io.InputStream;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Profiles compiled and run through {@link ClassicBpf}: the verdicts the spec asks for, and the program's shape. */
class SeccompCompilerTest {
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final long ALLOW = 0x7fff0000L;
    private static final long KILL_THREAD = 0;
    private static final long KILL_PROCESS = 0x80000000L;

    static Linux.Seccomp profile(String json) throws IOException {
        return JSON.readValue(json.replace('\'', '"'), Linux.Seccomp.class);
    }

    /** podman 4.3's default profile as it puts it in config.json for a root container (podman create, then its config.json). */
    static Linux.Seccomp podmanDefault() throws IOException {
        try (InputStream in = SeccompCompilerTest.class.getResourceAsStream("podman-default.json")) {
            return JSON.readValue(in, Linux.Seccomp.class);
        }
    }

    private static long nr(Arch arch, String name) {
        return SyscallTable.number(arch, name).orElseThrow();
    }

    private static long errno(int errno) {
        return 0x00050000L | errno;
    }

    private static long run(SeccompFilter filter, Arch arch, String name, long... args) {
        return new ClassicBpf(filter.program()).run((int) nr(arch, name), arch.auditArch(), args);
    }

    @Test
    void goldenBytesOfOneDeniedSyscall() throws Exception {
        SeccompFilter filter = SeccompCompiler.compile(profile("""
                {'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['kcmp'], 'action': 'SCMP_ACT_ERRNO'}]}"""), Arch.X86_64);
        String expected = String.join("",
                "2000000004000000", // ld [4]                  arch
                "150000013e0000c0", // jeq #AUDIT_ARCH_X86_64, 0, 1
                "0500000001000000", // ja +1                    to the block
                "0600000000000000", // ret KILL_THREAD         an architecture outside the filter
                "2000000000000000", // ld [0]                  nr
                "3500000100000040", // jge #0x40000000, 0, 1   x32?
                "0500000005000000", // ja +5                   (no x32 section: to its ret)
                "3500010038010000", // jge #312 (kcmp), 1, 0
                "060000000000ff7f", // ret ALLOW               0..311
                "3500010039010000", // jge #313, 1, 0
                "0600000001000500", // ret ERRNO(EPERM)        312
                "060000000000ff7f", // ret ALLOW               313..
                "0600000000000000"); // ret KILL_THREAD        x32
        assertEquals(expected, HexFormat.of().formatHex(filter.program()));
    }

    @Test
    void podmanDefaultProfile() throws Exception {
        SeccompFilter filter = SeccompCompiler.compile(podmanDefault(), Arch.X86_64);
        assertEquals(List.of(Arch.X86_64, Arch.X86, Arch.X32), List.copyOf(filter.architectures()));
        for (Arch arch : List.of(Arch.X86_64, Arch.X86, Arch.X32)) {
            assertEquals(ALLOW, run(filter, arch, "read"), arch + " read");
            assertEquals(ALLOW, run(filter, arch, "execve"), arch + " execve");
            assertEquals(errno(1), run(filter, arch, "kcmp"), arch + " kcmp");
            assertEquals(errno(38), run(filter, arch, "add_key"), arch + " add_key: the default, ENOSYS");
            assertEquals(errno(1), run(filter, arch, "kexec_load"), arch + " kexec_load");
            assertEquals(ALLOW, run(filter, arch, "personality", 0), arch + " personality(PER_LINUX)");
            assertEquals(ALLOW, run(filter, arch, "personality", 0xffffffffL), arch + " personality(query)");
            assertEquals(errno(38), run(filter, arch, "personality", 5), arch + " personality(5)");
        }
        // 64-bit arguments compare both halves; x86's only the low one (libseccomp's 32-bit ABIs).
        assertEquals(errno(38), run(filter, Arch.X86_64, "personality", 0x1_ffffffffL));
        assertEquals(ALLOW, run(filter, Arch.X86, "personality", 0x1_ffffffffL));
        // socket(AF_NETLINK, *, NETLINK_AUDIT) → EINVAL; any other socket is allowed.
        assertEquals(errno(22), run(filter, Arch.X86_64, "socket", 16, 3, 9));
        assertEquals(ALLOW, run(filter, Arch.X86_64, "socket", 16, 3, 0));
        assertEquals(ALLOW, run(filter, Arch.X86_64, "socket", 2, 1, 0));
        // An architecture outside the filter, and x32's numbers on x86_64's audit arch.
        assertEquals(KILL_THREAD, new ClassicBpf(filter.program()).run(0, Arch.AARCH64.auditArch()));
        assertEquals(ALLOW, new ClassicBpf(filter.program()).run((int) Arch.X32_SYSCALL_BIT, Arch.X86_64.auditArch()));
        agreesWithTheReference(filter);
    }

    /** containerd 1.6's default profile as ctr run --seccomp puts it in config.json. */
    @Test
    void containerdDefaultProfile() throws Exception {
        SeccompFilter filter;
        try (InputStream in = SeccompCompilerTest.class.getResourceAsStream("containerd-default.json")) {
            filter = SeccompCompiler.compile(JSON.readValue(in, Linux.Seccomp.class), Arch.X86_64);
        }
        for (Arch arch : List.of(Arch.X86_64, Arch.X86, Arch.X32)) {
            assertEquals(ALLOW, run(filter, arch, "read"), arch + " read");
            assertEquals(errno(1), run(filter, arch, "kcmp"), arch + " kcmp: the default, EPERM");
            assertEquals(errno(38), run(filter, arch, "clone3"), arch + " clone3: ENOSYS, so that libc falls back to clone");
            // clone's MASKED_EQ without valueTwo: (flags & 0x7E020000) == 0, i.e. no new namespace.
            assertEquals(ALLOW, run(filter, arch, "clone", 0x11 /* SIGCHLD */), arch + " fork-like clone");
            assertEquals(errno(1), run(filter, arch, "clone", 0x10000000L /* CLONE_NEWUSER */), arch + " clone into a new user namespace");
        }
        // runc's -ENOSYS stub: above the highest number the profile names, ENOSYS instead of the default's EPERM.
        long highest = filter.enosysAbove(Arch.X86_64);
        assertEquals(errno(38), new ClassicBpf(filter.program()).run((int) highest + 1, Arch.X86_64.auditArch()));
        assertEquals(errno(38), new ClassicBpf(filter.program()).run((int) filter.enosysAbove(Arch.X32).longValue() + 5, Arch.X86_64.auditArch()));
        assertEquals(errno(38), new ClassicBpf(filter.program()).run((int) filter.enosysAbove(Arch.X86).longValue() + 1, Arch.X86.auditArch()));
        // x86 has recv and send only through socketcall(2), which jrun does not take apart (docs/seccomp.md).
        assertEquals(List.of("/linux/seccomp/syscalls/0/names: skipped recv, send: no architecture of the filter has such a syscall"),
                filter.warnings());
        agreesWithTheReference(filter);
    }

    @Test
    void theEnosysStubFollowsRunc() throws Exception {
        String rules = "'syscalls': [{'names': ['read', 'kcmp'], 'action': 'SCMP_ACT_ALLOW'}]";
        SeccompFilter eperm = SeccompCompiler.compile(profile("{'defaultAction': 'SCMP_ACT_ERRNO', 'architectures': ['SCMP_ARCH_X86_64'], " + rules + "}"), Arch.X86_64);
        assertEquals(errno(1), run(eperm, Arch.X86_64, "write"), "below kcmp (312): the default");
        assertEquals(errno(38), run(eperm, Arch.X86_64, "clone3"), "above it: ENOSYS");
        for (String profile : List.of(
                "{'defaultAction': 'SCMP_ACT_ERRNO', " + rules + "}",                                              // no architectures listed
                "{'defaultAction': 'SCMP_ACT_ERRNO', 'defaultErrnoRet': 38, 'architectures': ['SCMP_ARCH_X86_64'], " + rules + "}",
                "{'defaultAction': 'SCMP_ACT_TRACE', 'architectures': ['SCMP_ARCH_X86_64'], " + rules + "}")) {
            SeccompFilter filter = SeccompCompiler.compile(profile(profile), Arch.X86_64);
            assertEquals(null, filter.enosysAbove(Arch.X86_64), profile);
            assertEquals(filter.defaultAction().ret() & 0xffffffffL, run(filter, Arch.X86_64, "clone3"), profile);
        }
    }

    @Test
    void withoutX32AnX32SyscallIsABadArchitecture() throws Exception {
        SeccompFilter filter = SeccompCompiler.compile(profile("{'defaultAction': 'SCMP_ACT_ALLOW', 'architectures': ['SCMP_ARCH_X86']}"), Arch.X86_64);
        ClassicBpf bpf = new ClassicBpf(filter.program());
        assertEquals(ALLOW, bpf.run(0, Arch.X86_64.auditArch()));
        assertEquals(ALLOW, bpf.run(3, Arch.X86.auditArch()));
        assertEquals(KILL_THREAD, bpf.run((int) nr(Arch.X32, "read"), Arch.X86_64.auditArch()));
    }

    @Test
    void everyActionReturnsItsValue() throws Exception {
        SeccompFilter filter = SeccompCompiler.compile(profile("""
                {'defaultAction': 'SCMP_ACT_ERRNO', 'defaultErrnoRet': 38, 'syscalls': [
                  {'names': ['read'], 'action': 'SCMP_ACT_ALLOW'},
                  {'names': ['write'], 'action': 'SCMP_ACT_KILL'},
                  {'names': ['open'], 'action': 'SCMP_ACT_KILL_THREAD'},
                  {'names': ['close'], 'action': 'SCMP_ACT_KILL_PROCESS'},
                  {'names': ['stat'], 'action': 'SCMP_ACT_TRAP'},
                  {'names': ['fstat'], 'action': 'SCMP_ACT_ERRNO'},
                  {'names': ['lstat'], 'action': 'SCMP_ACT_ERRNO', 'errnoRet': 13},
                  {'names': ['poll'], 'action': 'SCMP_ACT_TRACE', 'errnoRet': 7},
                  {'names': ['lseek'], 'action': 'SCMP_ACT_TRACE'},
                  {'names': ['mmap'], 'action': 'SCMP_ACT_LOG'}]}"""), Arch.X86_64);
        Map<String, Long> expected = Map.of("read", ALLOW, "write", KILL_THREAD, "open", KILL_THREAD, "close", KILL_PROCESS,
                "stat", 0x00030000L, "fstat", errno(1), "lstat", errno(13), "poll", 0x7ff00007L, "lseek", 0x7ff00001L, "mmap", 0x7ffc0000L);
        expected.forEach((name, ret) -> assertEquals(ret, run(filter, Arch.X86_64, name), name));
        assertEquals(errno(38), run(filter, Arch.X86_64, "kcmp"));
    }

    @Test
    void everyOperatorOnBothHalvesAgreesWithTheReference() throws Exception {
        long[] values = {0, 1, 0x7fffffffL, 0x80000000L, 0xffffffffL, 0x1_00000000L, 0x1_00000001L, 0xffffffff_00000000L, -1L, 0x12345678_9abcdef0L};
        for (Condition.Op op : Condition.Op.values()) {
            for (long value : values) {
                String rule = "{'names': ['personality'], 'action': 'SCMP_ACT_ALLOW', 'args': [{'index': 0, 'value': " + Long.toUnsignedString(value)
                        + ", 'valueTwo': " + Long.toUnsignedString(value & 0x0000ffff_0000ffffL) + ", 'op': '" + op.specName() + "'}]}";
                SeccompFilter filter = SeccompCompiler.compile(profile("{'defaultAction': 'SCMP_ACT_ERRNO', 'architectures': ['SCMP_ARCH_X86'], "
                        + "'syscalls': [" + rule + "]}"), Arch.X86_64);
                ClassicBpf bpf = new ClassicBpf(filter.program());
                for (Arch arch : List.of(Arch.X86_64, Arch.X86)) {
                    for (long arg : values) {
                        for (long delta : new long[] {-1, 0, 1}) {
                            long a = arg + delta;
                            long expected = filter.verdict(arch, nr(arch, "personality"), a).ret() & 0xffffffffL;
                            assertEquals(expected, bpf.run((int) nr(arch, "personality"), arch.auditArch(), a),
                                    op + " " + Long.toHexString(value) + " on " + arch + " with " + Long.toHexString(a));
                            boolean wide = arch.wideArgs();
                            assertEquals(new Condition(0, op, value, value & 0x0000ffff_0000ffffL).test(a, wide), expected == ALLOW);
                        }
                    }
                }
            }
        }
    }

    @Test
    void conditionsOnDifferentArgumentsAreAndedOnOneArgumentOred() throws Exception {
        SeccompFilter filter = SeccompCompiler.compile(profile("""
                {'defaultAction': 'SCMP_ACT_ERRNO', 'syscalls': [
                  {'names': ['socket'], 'action': 'SCMP_ACT_ALLOW', 'args': [{'index': 0, 'value': 1, 'op': 'SCMP_CMP_EQ'}, {'index': 1, 'value': 2, 'op': 'SCMP_CMP_EQ'}]},
                  {'names': ['mmap'], 'action': 'SCMP_ACT_ALLOW', 'args': [{'index': 2, 'value': 1, 'op': 'SCMP_CMP_EQ'}, {'index': 2, 'value': 3, 'op': 'SCMP_CMP_EQ'}]}]}"""),
                Arch.X86_64);
        assertEquals(ALLOW, run(filter, Arch.X86_64, "socket", 1, 2));
        assertEquals(errno(1), run(filter, Arch.X86_64, "socket", 1, 3));
        assertEquals(ALLOW, run(filter, Arch.X86_64, "mmap", 0, 0, 1));
        assertEquals(ALLOW, run(filter, Arch.X86_64, "mmap", 0, 0, 3));
        assertEquals(errno(1), run(filter, Arch.X86_64, "mmap", 0, 0, 2));
    }

    @Test
    void anUnconditionalRuleWinsOverConditionalOnes() throws Exception {
        SeccompFilter filter = SeccompCompiler.compile(profile("""
                {'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [
                  {'names': ['personality'], 'action': 'SCMP_ACT_ALLOW', 'args': [{'index': 0, 'value': 0, 'op': 'SCMP_CMP_EQ'}]},
                  {'names': ['personality'], 'action': 'SCMP_ACT_ERRNO', 'errnoRet': 5}]}"""), Arch.X86_64);
        assertEquals(errno(5), run(filter, Arch.X86_64, "personality", 0));
        assertEquals(errno(5), run(filter, Arch.X86_64, "personality", 8));
    }

    @Test
    void ofTwoRulesWithoutConditionsTheFirstDecidesAsUnderRunc() throws Exception {
        SeccompFilter filter = SeccompCompiler.compile(profile("""
                {'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [
                  {'names': ['mkdir'], 'action': 'SCMP_ACT_LOG'}, {'names': ['mkdir'], 'action': 'SCMP_ACT_ERRNO'},
                  {'names': ['rmdir'], 'action': 'SCMP_ACT_ERRNO'}, {'names': ['rmdir'], 'action': 'SCMP_ACT_LOG'}]}"""), Arch.X86_64);
        assertEquals(0x7ffc0000L, run(filter, Arch.X86_64, "mkdir"));
        assertEquals(errno(1), run(filter, Arch.X86_64, "rmdir"));
        assertEquals(List.of(), filter.warnings());
    }

    @Test
    void unknownNamesAreSkippedWithAWarningUnlessTheRuleHasNoOther() throws Exception {
        SeccompFilter filter = SeccompCompiler.compile(profile("""
                {'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['no_such_call', 'kcmp'], 'action': 'SCMP_ACT_ERRNO'}]}"""), Arch.X86_64);
        assertEquals(List.of("/linux/seccomp/syscalls/0/names: skipped no_such_call: no architecture of the filter has such a syscall"), filter.warnings());
        assertEquals(errno(1), run(filter, Arch.X86_64, "kcmp"));
        SeccompException refused = assertThrows(SeccompException.class, () -> SeccompCompiler.compile(profile("""
                {'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['kcmp'], 'action': 'SCMP_ACT_ERRNO'}, {'names': ['no_such_call'], 'action': 'SCMP_ACT_ERRNO'}]}"""), Arch.X86_64));
        assertEquals("/linux/seccomp/syscalls/1/names", refused.pointer());
    }

    @Test
    void aNameOfAnotherArchitectureOfTheFilterIsKnown() throws Exception {
        // _llseek is x86's alone: no warning, and x86_64 is left as it was.
        SeccompFilter filter = SeccompCompiler.compile(profile("""
                {'defaultAction': 'SCMP_ACT_ALLOW', 'architectures': ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86'],
                 'syscalls': [{'names': ['_llseek'], 'action': 'SCMP_ACT_ERRNO'}]}"""), Arch.X86_64);
        assertEquals(List.of(), filter.warnings());
        assertEquals(errno(1), run(filter, Arch.X86, "_llseek"));
        assertEquals(ALLOW, new ClassicBpf(filter.program()).run(140, Arch.X86_64.auditArch()));
    }

    @Test
    void flagsGoToTheLoadAndWaitKillableRecvOnlyWithAListener() throws Exception {
        String flags = "'flags': ['SECCOMP_FILTER_FLAG_TSYNC', 'SECCOMP_FILTER_FLAG_LOG', 'SECCOMP_FILTER_FLAG_SPEC_ALLOW', 'SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV']";
        assertEquals(1 | 2 | 4, SeccompCompiler.compile(profile("{'defaultAction': 'SCMP_ACT_ALLOW', " + flags + "}"), Arch.X86_64).flags());
        SeccompFilter notifying = SeccompCompiler.compile(profile("{'defaultAction': 'SCMP_ACT_ALLOW', 'listenerPath': '/a.sock', " + flags
                + ", 'syscalls': [{'names': ['mkdir'], 'action': 'SCMP_ACT_NOTIFY'}]}"), Arch.X86_64);
        assertEquals(1 | 2 | 4 | 8 | 16 | 32, notifying.flags(), "NEW_LISTENER, and TSYNC_ESRCH for TSYNC with it");
    }

    @Test
    void refusals() {
        Map<String, String> cases = Map.of(
                "{'defaultAction': 'SCMP_ACT_FOO'}", "/linux/seccomp/defaultAction",
                "{'defaultAction': 'SCMP_ACT_ALLOW', 'defaultErrnoRet': 1}", "/linux/seccomp/defaultErrnoRet",
                "{'defaultAction': 'SCMP_ACT_ALLOW', 'flags': ['SECCOMP_FILTER_FLAG_FOO']}", "/linux/seccomp/flags",
                "{'defaultAction': 'SCMP_ACT_ALLOW', 'listenerPath': '/run/agent.sock'}", "/linux/seccomp/listenerPath",
                "{'defaultAction': 'SCMP_ACT_NOTIFY'}", "/linux/seccomp/defaultAction",
                "{'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['read'], 'action': 'SCMP_ACT_ERRNO', 'errnoRet': 5000}]}", "/linux/seccomp/syscalls/0/errnoRet",
                "{'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['read'], 'action': 'SCMP_ACT_ERRNO', 'args': [{'index': 6, 'value': 1, 'op': 'SCMP_CMP_EQ'}]}]}", "/linux/seccomp/syscalls/0/args/0/index",
                "{'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['read'], 'action': 'SCMP_ACT_ERRNO', 'args': [{'index': 0, 'value': 1, 'op': 'SCMP_CMP_FOO'}]}]}", "/linux/seccomp/syscalls/0/args/0/op");
        cases.forEach((json, pointer) -> {
            SeccompException e = assertThrows(SeccompException.class, () -> SeccompCompiler.compile(profile(json), Arch.X86_64), json);
            assertEquals(pointer, e.pointer(), json + ": " + e.getMessage());
        });
    }

    /** Every syscall number of every section (and numbers around them) gets from the program what {@link SeccompFilter#verdict} says. */
    static void agreesWithTheReference(SeccompFilter filter) {
        ClassicBpf bpf = new ClassicBpf(filter.program());
        long[] args = {0, 1, 8, 9, 16, 0x20000, 0x20008, 0xffffffffL, 0x1_00000000L, -1L};
        for (Arch arch : filter.architectures()) {
            for (long nr : SyscallTable.all(arch).values()) {
                for (long number : new long[] {Math.max(nr - 1, 0), nr, nr + 1}) {
                    for (long arg : args) {
                        long[] all = {arg, arg, arg, arg, arg, arg};
                        long expected = filter.verdict(arch, number, all).ret() & 0xffffffffL;
                        assertEquals(expected, bpf.run((int) number, arch.auditArch(), all), arch + " nr " + number + " arg " + arg);
                    }
                }
            }
        }
        assertTrue(bpf.length() < SeccompFilter.MAX_INSTRUCTIONS);
    }
}
