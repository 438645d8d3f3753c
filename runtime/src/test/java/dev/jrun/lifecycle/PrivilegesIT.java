package dev.jrun.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Capabilities, no_new_privs, /dev, masked and read-only paths, sysctl, oom_score_adj and fds, seen from inside. */
class PrivilegesIT extends BusyboxContainerTest {
    private String runInside(String name, String script, String extraYaml, String linuxYaml) throws Exception {
        Path spec = Bundles.spec(bundle, name, script, extraYaml, linuxYaml);
        // Without the /dev/null bind: jrun's own /dev must provide it.
        Files.writeString(spec, Files.readString(spec).replace("  - {destination: /dev/null, type: bind, source: /dev/null, options: [bind]}\n", ""));
        JrunProcess.Result result = JrunProcess.withRoot(stateRoot).run("run", spec.toString());
        assertEquals(0, result.code(), result.err());
        return result.out();
    }

    private String runInside(String name, String script, String processYaml) throws Exception {
        return runInside(name, script, processYaml, 0);
    }

    private String runInside(String name, String script, String processYaml, int uid) throws Exception {
        Path spec = Bundles.spec(bundle, name, script, "", Bundles.DEFAULT_LINUX);
        String text = Files.readString(spec).replace("  - {destination: /dev/null, type: bind, source: /dev/null, options: [bind]}\n", "")
                .replace("  env: [PATH=/bin]\n", "  env: [PATH=/bin]\n" + processYaml)
                .replace("user: {uid: 0, gid: 0}", "user: {uid: " + uid + ", gid: " + uid + "}");
        Files.writeString(spec, text);
        JrunProcess.Result result = JrunProcess.withRoot(stateRoot).run("run", spec.toString());
        assertEquals(0, result.code(), result.err());
        return result.out();
    }

    @Test
    void capabilitiesAsSetForRoot() throws Exception {
        String out = runInside("caps", "grep -E '^Cap(Eff|Prm|Bnd|Amb)' /proc/self/status", """
                  capabilities:
                    bounding: [CAP_KILL, CAP_NET_BIND_SERVICE, CAP_CHOWN]
                    effective: [CAP_KILL, CAP_CHOWN]
                    permitted: [CAP_KILL, CAP_CHOWN]
                """);
        // root's execve makes permitted and effective the bounding set: bits 0 (CHOWN), 5 (KILL), 10 (NET_BIND_SERVICE).
        assertTrue(out.contains("CapBnd:\t0000000000000421"), out);
        assertTrue(out.contains("CapEff:\t0000000000000421"), out);
    }

    @Test
    void ambientCapabilitiesSurviveForAnUnprivilegedUser() throws Exception {
        String out = runInside("ambient", "grep -E '^Cap(Eff|Amb|Bnd)' /proc/self/status; id -u", """
                  capabilities:
                    bounding: [CAP_NET_BIND_SERVICE, CAP_NET_RAW]
                    effective: [CAP_NET_BIND_SERVICE]
                    permitted: [CAP_NET_BIND_SERVICE]
                    inheritable: [CAP_NET_BIND_SERVICE]
                    ambient: [CAP_NET_BIND_SERVICE]
                """, 1000);
        assertTrue(out.contains("CapBnd:\t0000000000002400"), out);
        assertTrue(out.contains("CapAmb:\t0000000000000400"), out);
        assertTrue(out.contains("CapEff:\t0000000000000400"), out);
        assertTrue(out.endsWith("1000\n"), out);
    }

    @Test
    void noNewPrivilegesIsSet() throws Exception {
        assertTrue(runInside("nnp", "grep NoNewPrivs /proc/self/status", "  noNewPrivileges: true\n").contains("NoNewPrivs:\t1"));
    }

    @Test
    void devHasTheDefaultNodesAndLinks() throws Exception {
        String out = runInside("dev", "for d in null zero full random urandom tty; do stat -c '%n %F %t:%T %a' /dev/$d; done;"
                + " for l in fd stdin stdout stderr; do readlink /dev/$l; done; echo x > /dev/null && echo writable", "");
        List<String> lines = out.lines().toList();
        assertEquals("/dev/null character special file 1:3 666", lines.get(0));
        assertEquals("/dev/zero character special file 1:5 666", lines.get(1));
        assertEquals("/dev/full character special file 1:7 666", lines.get(2));
        assertEquals("/dev/random character special file 1:8 666", lines.get(3));
        assertEquals("/dev/urandom character special file 1:9 666", lines.get(4));
        assertEquals("/dev/tty character special file 5:0 666", lines.get(5));
        assertEquals(List.of("/proc/self/fd", "/proc/self/fd/0", "/proc/self/fd/1", "/proc/self/fd/2", "writable"), lines.subList(6, 11));
    }

    @Test
    void devicesFromTheSpecAppearWithTheirNumbersAndModes() throws Exception {
        String out = runInside("devices", "stat -c '%n %F %t:%T %a' /dev/fuse /dev/loop-test", "",
                Bundles.DEFAULT_LINUX + "  devices:\n    - {path: /dev/fuse, type: c, major: 10, minor: 229, fileMode: 0600}\n"
                        + "    - {path: /dev/loop-test, type: b, major: 7, minor: 200, fileMode: 0640}\n");
        assertEquals("/dev/fuse character special file a:e5 600\n/dev/loop-test block special file 7:c8 640\n", out);
    }

    @Test
    void maskedAndReadonlyPathsRefuseAccess() throws Exception {
        String out = runInside("masked", "cat /proc/timer_list | wc -c; ls /proc/fs | wc -l; echo x > /proc/sys/kernel/domainname || echo refused", "",
                Bundles.DEFAULT_LINUX + "  maskedPaths: [/proc/timer_list, /proc/fs]\n  readonlyPaths: [/proc/sys]\n");
        assertEquals(List.of("0", "0", "refused"), out.lines().map(String::strip).toList());
    }

    @Test
    void namespacedSysctlIsSet() throws Exception {
        String out = runInside("sysctl", "cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/msgmax", "",
                Bundles.DEFAULT_LINUX + "  sysctl: {net.ipv4.ip_forward: \"1\", kernel.msgmax: \"12345\"}\n");
        assertEquals("1\n12345\n", out);
    }

    @Test
    void rlimitsAsSet() throws Exception {
        String out = runInside("limits", "ulimit -n; ulimit -Hn; ulimit -c", """
                  rlimits:
                    - {type: RLIMIT_NOFILE, soft: 512, hard: 2048}
                    - {type: RLIMIT_CORE, soft: 0, hard: 0}
                """);
        assertEquals("512\n2048\n0\n", out);
    }

    @Test
    void oomScoreAdjIsSet() throws Exception {
        assertEquals("500\n", runInside("oom", "cat /proc/self/oom_score_adj", "  oomScoreAdj: 500\n"));
    }

    @Test
    void noDescriptorOfTheRuntimeLeaksIn() throws Exception {
        // ls opens one descriptor of its own for /proc/self/fd; anything else would be jrun's.
        String out = runInside("fds", "ls /proc/self/fd", "");
        assertEquals(List.of("0", "1", "2", "3"), out.lines().toList());
    }
}
