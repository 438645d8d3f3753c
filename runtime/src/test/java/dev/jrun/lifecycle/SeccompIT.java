package dev.jrun.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.testing.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** linux.seccomp on the real kernel: what a filtered process sees, with and without noNewPrivileges. */
class SeccompIT extends BusyboxContainerTest {
    /** A static program for syscalls busybox has no applet for: kcmp(self, self, KCMP_FILE, 0, 0) prints "ok" or the errno. */
    private static final String KCMP_C = """
            #define _GNU_SOURCE
            #include <errno.h>
            #include <stdio.h>
            #include <unistd.h>
            #include <sys/syscall.h>
            int main(void) {
                pid_t self = getpid();
                if (syscall(SYS_kcmp, self, self, 0, 0, 0) < 0) { printf("errno %d\\n", errno); return 1; }
                printf("ok\\n");
                return 0;
            }
            """;

    @BeforeAll
    static void kcmpProgram() throws Exception {
        Path source = shared.resolve("kcmp.c");
        Files.writeString(source, KCMP_C);
        Command.of("gcc", "-static", "-O2", "-o", bundle.resolve("rootfs/bin/kcmp").toString(), source.toString()).check(Duration.ofSeconds(60));
    }

    private JrunProcess.Result run(String name, String script, String processYaml, String seccompYaml) throws Exception {
        Path spec = Bundles.spec(bundle, name, script, "", Bundles.DEFAULT_LINUX + seccompYaml);
        Files.writeString(spec, Files.readString(spec).replace("  env: [PATH=/bin]\n", "  env: [PATH=/bin]\n" + processYaml));
        return jrun().run("run", spec.toString());
    }

    private String runInside(String name, String script, String processYaml, String seccompYaml) throws Exception {
        JrunProcess.Result result = run(name, script, processYaml, seccompYaml);
        assertEquals(0, result.code(), result.err());
        return result.out();
    }

    private static final String NNP = "  noNewPrivileges: true\n";

    @Test
    void aDeniedSyscallReturnsTheErrnoGivenAndTheProcessIsFiltered() throws Exception {
        String out = runInside("errno", "grep -E '^(Seccomp|NoNewPrivs):' /proc/self/status; mkdir /tmp/x || echo refused", NNP, """
                  seccomp:
                    defaultAction: SCMP_ACT_ALLOW
                    syscalls:
                      - {names: [mkdir, mkdirat], action: SCMP_ACT_ERRNO, errnoRet: 28}
                """);
        assertTrue(out.contains("Seccomp:\t2\n"), out);
        assertTrue(out.contains("NoNewPrivs:\t1\n"), out);
        assertTrue(out.contains("refused"), out);
    }

    @Test
    void anExecdProcessGetsTheContainersFilter() throws Exception {
        Path spec = Bundles.spec(bundle, "sx", "sleep 1000", "", Bundles.DEFAULT_LINUX + """
                  seccomp:
                    defaultAction: SCMP_ACT_ALLOW
                    syscalls:
                      - {names: [mkdir, mkdirat], action: SCMP_ACT_ERRNO, errnoRet: 28}
                """);
        Files.writeString(spec, Files.readString(spec).replace("  env: [PATH=/bin]\n", "  env: [PATH=/bin]\n" + NNP));
        assertEquals(0, jrun().run("create", spec.toString()).code());
        try {
            assertEquals(0, jrun().run("start", "sx").code());
            JrunProcess.Result exec = jrun().run("exec", "sx", "sh", "-c", "grep '^Seccomp:' /proc/self/status; mkdir /tmp/y || echo refused");
            assertEquals(0, exec.code(), exec.err());
            assertEquals("Seccomp:\t2\nrefused\n", exec.out().replaceAll("mkdir: [^\n]*\n", ""));
        } finally {
            jrun().run("delete", "--force", "sx");
        }
    }

    @Test
    void everyFlagIsTakenByTheKernel() throws Exception {
        String out = runInside("flags", "grep '^Seccomp:' /proc/self/status; mkdir /tmp/x || echo refused", NNP, """
                  seccomp:
                    defaultAction: SCMP_ACT_ALLOW
                    flags: [SECCOMP_FILTER_FLAG_TSYNC, SECCOMP_FILTER_FLAG_LOG, SECCOMP_FILTER_FLAG_SPEC_ALLOW, SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV]
                    syscalls:
                      - {names: [mkdir, mkdirat], action: SCMP_ACT_ERRNO}
                """);
        assertEquals("Seccomp:\t2\nrefused\n", out);
    }

    @Test
    void theDefaultErrnoApplies() throws Exception {
        String out = runInside("default-errno", "/bin/kcmp; echo $?", NNP, """
                  seccomp:
                    defaultAction: SCMP_ACT_ERRNO
                    defaultErrnoRet: 38
                    syscalls:
                      - names: [read, write, close, exit_group, execve, brk, arch_prctl, set_tid_address, set_robust_list, rseq, prlimit64,
                                mprotect, getrandom, readlink, getpid, newfstatat, fstat, uname, munmap, mmap, access, openat, ioctl,
                                rt_sigaction, rt_sigprocmask, wait4, clone, clone3, fcntl, sendto, exit, dup2, getppid, getuid, geteuid,
                                getgid, getegid, getcwd, faccessat2, accept4, capset, chdir, close_range, prctl, setgroups, setresuid, setresgid,
                                umask, lseek, rt_sigreturn, vfork, pipe, pipe2, dup, getdents64, stat, lstat, poll, writev, futex, statx, sysinfo]
                        action: SCMP_ACT_ALLOW
                """);
        assertEquals("errno 38\n1\n", out);
    }

    @Test
    void killEndsTheProcessWithSigsys() throws Exception {
        for (String action : List.of("SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS")) {
            String out = runInside("kill", "mkdir /tmp/x; echo status $?", NNP, """
                      seccomp:
                        defaultAction: SCMP_ACT_ALLOW
                        syscalls:
                          - {names: [mkdir, mkdirat], action: %s}
                    """.formatted(action));
            assertEquals("status 159\n", out, action + ": 128 + SIGSYS (31)");
        }
    }

    @Test
    void anArgumentFilterAllowsOnlyTheValueItNames() throws Exception {
        // personality(0xffffffff) (a query) and PER_LINUX (0, linux64) pass; PER_LINUX32 (8, linux32) is refused by the
        // last rule, which the first two come before.
        String out = runInside("personality", "linux32 true && echo linux32 ran || echo linux32 refused; linux64 true && echo linux64 ran", NNP, """
                  seccomp:
                    defaultAction: SCMP_ACT_ALLOW
                    syscalls:
                      - {names: [personality], action: SCMP_ACT_LOG, args: [{index: 0, value: 4294967295, op: SCMP_CMP_EQ}]}
                      - {names: [personality], action: SCMP_ACT_LOG, args: [{index: 0, value: 0, op: SCMP_CMP_EQ}]}
                      - {names: [personality], action: SCMP_ACT_ERRNO, args: [{index: 0, value: 0, op: SCMP_CMP_GE}]}
                """);
        assertEquals("linux32 refused\nlinux64 ran\n", out.lines().filter(l -> l.startsWith("linux")).map(l -> l + "\n").reduce("", String::concat));
    }

    @Test
    void withoutNoNewPrivilegesTheFilterIsLoadedBeforeTheCapabilitiesAreDropped() throws Exception {
        String out = runInside("early", "grep -E '^(Seccomp|NoNewPrivs|CapEff):' /proc/self/status; id -u; mkdir /tmp/x || echo refused", """
                  capabilities: {bounding: [CAP_KILL], effective: [CAP_KILL], permitted: [CAP_KILL]}
                """, """
                  seccomp:
                    defaultAction: SCMP_ACT_ALLOW
                    syscalls:
                      - {names: [mkdir, mkdirat], action: SCMP_ACT_ERRNO, errnoRet: 28}
                """);
        assertTrue(out.contains("Seccomp:\t2\n"), out);
        assertTrue(out.contains("NoNewPrivs:\t0\n"), out);
        assertTrue(out.contains("CapEff:\t0000000000000020\n"), out);
        assertTrue(out.contains("refused"), out);
    }

    @Test
    void podmansDefaultProfileLoadsAndRefusesKcmp() throws Exception {
        String profile = new String(SeccompIT.class.getResourceAsStream("/dev/jrun/seccomp/podman-default.json").readAllBytes());
        String out = runInside("podman", "grep '^Seccomp:' /proc/self/status; /bin/kcmp; linux64 true && echo personality allowed",
                "  capabilities: {bounding: [CAP_CHOWN, CAP_KILL, CAP_SETUID, CAP_SETGID], effective: [CAP_CHOWN, CAP_KILL, CAP_SETUID, CAP_SETGID],"
                        + " permitted: [CAP_CHOWN, CAP_KILL, CAP_SETUID, CAP_SETGID]}\n",
                "  seccomp: " + profile.replace("\n", " ") + "\n");
        assertEquals("Seccomp:\t2\nerrno 1\npersonality allowed\n", out);
    }

    @Test
    void containerdsDefaultProfileLoadsAndRefusesKcmpAndNewNamespaces() throws Exception {
        String profile = new String(SeccompIT.class.getResourceAsStream("/dev/jrun/seccomp/containerd-default.json").readAllBytes());
        String out = runInside("containerd", "grep '^Seccomp:' /proc/self/status; /bin/kcmp; unshare -U true 2>/dev/null || echo unshare refused",
                "  capabilities: {bounding: [CAP_CHOWN, CAP_KILL, CAP_SETUID, CAP_SETGID], effective: [CAP_CHOWN, CAP_KILL, CAP_SETUID, CAP_SETGID],"
                        + " permitted: [CAP_CHOWN, CAP_KILL, CAP_SETUID, CAP_SETGID]}\n",
                "  seccomp: " + profile.replace("\n", " ") + "\n");
        assertEquals("Seccomp:\t2\nerrno 1\nunshare refused\n", out);
    }

    @Test
    void notifyHandsTheListenerToTheAgentWithTheContainersState() throws Exception {
        Path socket = shared.resolve("agent.sock");
        try (SeccompAgent agent = new SeccompAgent(socket, 28)) {
            String out = runInside("notify", "mkdir /tmp/x 2>&1 || echo refused by the agent", NNP, """
                      seccomp:
                        defaultAction: SCMP_ACT_ALLOW
                        listenerPath: %s
                        listenerMetadata: hello agent
                        syscalls:
                          - {names: [mkdir, mkdirat], action: SCMP_ACT_NOTIFY}
                    """.formatted(socket));
            assertTrue(out.contains("No space left on device") && out.contains("refused by the agent"), out);
            assertTrue(agent.answered() >= 1);
            var state = new com.fasterxml.jackson.databind.ObjectMapper().readTree(agent.state().get(10, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals("[\"seccompFd\"]", state.get("fds").toString(), state.toString());
            assertEquals("hello agent", state.get("metadata").asText());
            assertEquals("notify", state.get("state").get("id").asText());
            assertEquals("creating", state.get("state").get("status").asText());
            assertEquals(bundle.toString(), state.get("state").get("bundle").asText());
            assertTrue(state.get("pid").asLong() > 1, state.toString());
            assertEquals(state.get("pid").asLong(), state.get("state").get("pid").asLong());
        }
    }

    @Test
    void aProfileThatStopsTheRuntimeBeforeTheExecIsRefusedAtCreate() throws Exception {
        JrunProcess.Result result = run("no-execve", "true", NNP, """
                  seccomp:
                    defaultAction: SCMP_ACT_ALLOW
                    syscalls:
                      - {names: [execve], action: SCMP_ACT_ERRNO}
                """);
        assertNotEquals(0, result.code());
        assertTrue(result.err().contains("execve (SCMP_ACT_ERRNO(1))") && result.err().contains("/linux/seccomp"), result.err());
        assertEquals("[]", jrun().run("list", "--format", "json").out().replaceAll("\\s", ""), "no container is left");
    }
}
