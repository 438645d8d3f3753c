package dev.jrun.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each mount type and option as the container sees it in /proc/self/mountinfo, and what create refuses. */
class MountsIT extends BusyboxContainerTest {
    @BeforeAll
    static void rootfs() throws Exception {
        Files.writeString(bundle.resolve("a-file"), "from the host\n");
        Files.createDirectories(bundle.resolve("a-dir"));
    }

    private JrunProcess.Result run(String name, String script, String mounts, String linuxYaml) throws Exception {
        Path spec = Bundles.spec(bundle, name, script, "", linuxYaml);
        Files.writeString(spec, Files.readString(spec).replace("  - {destination: /proc, type: proc, source: proc}\n",
                "  - {destination: /proc, type: proc, source: proc}\n" + mounts));
        return JrunProcess.withRoot(stateRoot).run("run", spec.toString());
    }

    /** mount point → {per-mount options, fstype, super options, optional fields}. */
    private static Map<String, List<String>> mountinfo(String text) {
        return text.lines().map(l -> l.split(" ")).collect(Collectors.toMap(f -> f[4], f -> {
            int dash = Arrays.asList(f).indexOf("-");
            return List.of(f[5], f[dash + 1], f[dash + 3], String.join(" ", Arrays.copyOfRange(f, 6, dash)));
        }, (a, b) -> b));
    }

    @Test
    void eachTypeAndOptionIsApplied() throws Exception {
        JrunProcess.Result result = run("types", "cat /proc/self/mountinfo", """
                  - {destination: /sys, type: sysfs, source: sysfs, options: [nosuid, noexec, nodev, ro]}
                  - {destination: /dev/pts, type: devpts, source: devpts, options: [nosuid, noexec, newinstance, ptmxmode=0666, mode=0620]}
                  - {destination: /dev/shm, type: tmpfs, source: shm, options: [nosuid, noexec, nodev, mode=1777, size=65536k]}
                  - {destination: /dev/mqueue, type: mqueue, source: mqueue, options: [nosuid, noexec, nodev]}
                  - {destination: /data, type: tmpfs, source: tmpfs, options: [noatime, nosuid, size=1m, mode=0700]}
                  - {destination: /bound-ro, type: bind, source: a-dir, options: [rbind, ro, nosuid, nodev, noexec]}
                  - {destination: /etc/a-file, type: bind, source: a-file, options: [bind, ro]}
                """, Bundles.DEFAULT_LINUX);
        assertEquals(0, result.code(), result.err());
        Map<String, List<String>> mounts = mountinfo(result.out());
        assertTrue(mounts.get("/sys").get(0).startsWith("ro,nosuid,nodev,noexec"), mounts.get("/sys").toString());
        assertEquals("sysfs", mounts.get("/sys").get(1));
        assertEquals("devpts", mounts.get("/dev/pts").get(1));
        assertTrue(mounts.get("/dev/pts").get(2).contains("mode=620") && mounts.get("/dev/pts").get(2).contains("ptmxmode=666"), mounts.get("/dev/pts").toString());
        assertTrue(mounts.get("/dev/shm").get(0).startsWith("rw,nosuid,nodev,noexec"), mounts.get("/dev/shm").toString());
        // mode=1777 is tmpfs's default, which mountinfo leaves out.
        assertTrue(mounts.get("/dev/shm").get(2).contains("size=65536k"), mounts.get("/dev/shm").toString());
        assertEquals("mqueue", mounts.get("/dev/mqueue").get(1));
        assertTrue(mounts.get("/data").get(0).contains("noatime") && mounts.get("/data").get(0).contains("nosuid"), mounts.get("/data").toString());
        assertTrue(mounts.get("/data").get(2).contains("size=1024k") && mounts.get("/data").get(2).contains("mode=700"), mounts.get("/data").toString());
        assertTrue(mounts.get("/bound-ro").get(0).startsWith("ro,nosuid,nodev,noexec"), "a bind honours ro and the flags: " + mounts.get("/bound-ro"));
        assertTrue(mounts.get("/etc/a-file").get(0).startsWith("ro"), "a file bind is read-only: " + mounts.get("/etc/a-file"));
    }

    /** One tmpfs per option; each option shows in mountinfo as the kernel reports it. */
    @Test
    void everyFlagOptionReachesTheKernel() throws Exception {
        // option → where mountinfo shows it: "m" per-mount options, "s" superblock options, "p" optional (propagation) fields
        String[][] cases = {
            {"ro", "m", "ro"}, {"nosuid", "m", "nosuid"}, {"nodev", "m", "nodev"}, {"noexec", "m", "noexec"},
            {"noatime", "m", "noatime"}, {"nodiratime", "m", "nodiratime"}, {"relatime", "m", "relatime"},
            {"sync", "s", "sync"}, {"dirsync", "s", "dirsync"}, {"nosymfollow", "m", "nosymfollow"},
            {"unbindable", "p", "unbindable"}, {"private", "p", ""}, {"mode=0751", "s", "mode=751"}};
        StringBuilder mounts = new StringBuilder();
        for (String[] c : cases) {
            String name = c[0].replace('=', '-');
            mounts.append("  - {destination: /opt/").append(name).append(", type: tmpfs, source: tmpfs, options: [").append(c[0]).append("]}\n");
        }
        JrunProcess.Result result = run("flags", "cat /proc/self/mountinfo", mounts.toString(), Bundles.DEFAULT_LINUX);
        assertEquals(0, result.code(), result.err());
        Map<String, List<String>> seen = mountinfo(result.out());
        for (String[] c : cases) {
            List<String> mount = seen.get("/opt/" + c[0].replace('=', '-'));
            String field = switch (c[1]) {
                case "m" -> mount.get(0);
                case "s" -> mount.get(2);
                default -> mount.get(3);
            };
            assertTrue(List.of(field.split("[, ]")).contains(c[2]) || c[2].isEmpty() && field.isEmpty(),
                    c[0] + " shows in mountinfo: " + mount);
        }
    }

    @Test
    void readOnlyBindsRefuseWrites() throws Exception {
        JrunProcess.Result result = run("robind", "cat /etc/a-file; echo x > /etc/a-file || echo refused-file; touch /bound-ro/x || echo refused-dir", """
                  - {destination: /bound-ro, type: bind, source: a-dir, options: [rbind, ro]}
                  - {destination: /etc/a-file, type: bind, source: a-file, options: [bind, ro]}
                """, Bundles.DEFAULT_LINUX);
        assertEquals(0, result.code(), result.err());
        assertEquals(List.of("from the host", "refused-file", "refused-dir"), result.out().lines().toList());
        assertEquals("from the host\n", Files.readString(bundle.resolve("a-file")));
    }

    @Test
    void devicesGetTheirOwners() throws Exception {
        JrunProcess.Result result = run("owners", "stat -c '%u:%g %a' /dev/owned", "",
                Bundles.DEFAULT_LINUX + "  devices:\n    - {path: /dev/owned, type: c, major: 1, minor: 3, fileMode: 0640, uid: 1000, gid: 44}\n");
        assertEquals(0, result.code(), result.err());
        assertEquals("1000:44 640\n", result.out());
    }

    @Test
    void theWorkingDirectoryIsNeverAHostDirectory() throws Exception {
        // CVE-2024-21626: a descriptor of the runtime open on a host directory and cwd /proc/self/fd/N.
        for (int fd = 3; fd <= 8; fd++) {
            Path spec = Bundles.spec(bundle, "cwd" + fd, "pwd; ls /", "");
            Files.writeString(spec, Files.readString(spec).replace("cwd: /", "cwd: /proc/self/fd/" + fd));
            JrunProcess.Result result = JrunProcess.withRoot(stateRoot).run("run", spec.toString());
            assertTrue(result.code() != 0, "cwd /proc/self/fd/" + fd + " must not work, but the process printed: " + result.out());
            assertTrue(result.err().contains("CHDIR"), result.err());
        }
    }

    @Test
    void aHardLimitAboveTheKernelsIsReportedClearly() throws Exception {
        long nrOpen = Long.parseLong(dev.jrun.sys.ProcFiles.read(Path.of("/proc/sys/fs/nr_open")).strip());
        Path spec = Bundles.spec(bundle, "rlimit", "true", "");
        Files.writeString(spec, Files.readString(spec).replace("  env: [PATH=/bin]\n",
                "  env: [PATH=/bin]\n  rlimits: [{type: RLIMIT_NOFILE, soft: 1024, hard: " + (nrOpen * 2) + "}]\n"));
        JrunProcess.Result result = JrunProcess.withRoot(stateRoot).run("run", spec.toString());
        assertEquals(1, result.code(), result.err() + Files.readString(spec));
        assertTrue(result.err().contains("SETRLIMIT") && result.err().contains("EPERM") && result.err().contains("nr_open"), result.err());
    }
}
