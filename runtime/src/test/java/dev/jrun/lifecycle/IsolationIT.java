package dev.jrun.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the process inside sees, printed by busybox and checked here: each namespace really is its own. */
class IsolationIT extends BusyboxContainerTest {
    private String runInside(String name, String script, String extraYaml) throws Exception {
        return runInside(name, script, extraYaml, Bundles.DEFAULT_LINUX);
    }

    private String runInside(String name, String script, String extraYaml, String linuxYaml) throws Exception {
        Path spec = Bundles.spec(bundle, name, script, extraYaml, linuxYaml);
        JrunProcess.Result result = JrunProcess.withRoot(stateRoot).run("run", spec.toString());
        assertEquals(0, result.code(), result.err());
        return result.out();
    }

    @Test
    void processIsPidOneAndSeesOnlyItsOwnProcesses() throws Exception {
        List<String> lines = runInside("pids", "echo $$; ls -d /proc/[0-9]* | wc -l", "").lines().toList();
        assertEquals("1", lines.get(0));
        assertTrue(Integer.parseInt(lines.get(1).trim()) <= 3, "only the container's processes: " + lines);
    }

    @Test
    void ownHostnameAndDomainname() throws Exception {
        String out = runInside("named", "hostname; cat /proc/sys/kernel/domainname", "domainname: example.internal");
        assertEquals("named\nexample.internal\n", out);
        assertNotEquals("named", dev.jrun.sys.ProcFiles.read(Path.of("/proc/sys/kernel/hostname")).strip(), "the host keeps its name");
    }

    @Test
    void namespacesDifferFromTheHost() throws Exception {
        String out = runInside("ns", "for n in pid mnt uts ipc net; do readlink /proc/self/ns/$n; done", "");
        List<String> inside = out.lines().toList();
        List<String> types = List.of("pid", "mnt", "uts", "ipc", "net");
        for (int i = 0; i < types.size(); i++) {
            String host = Files.readSymbolicLink(Path.of("/proc/self/ns", types.get(i))).toString();
            assertNotEquals(host, inside.get(i), types.get(i) + " namespace is the host's");
        }
    }

    @Test
    void onlyLoopbackInTheNetworkNamespace() throws Exception {
        String out = runInside("net", "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '", "");
        assertEquals("lo\n", out);
    }

    @Test
    void ownMountTableWithTheRootfsAsRoot() throws Exception {
        String out = runInside("mounts", "cat /proc/self/mountinfo", "");
        assertTrue(out.lines().anyMatch(l -> l.split(" ")[4].equals("/")), out);
        assertTrue(out.lines().anyMatch(l -> l.split(" ")[4].equals("/proc") && l.contains(" - proc ")), out);
        assertFalse(out.contains(bundle.toString() + " "), "no host path is a mount point inside: " + out);
        String hostMounts = dev.jrun.sys.ProcFiles.read(Path.of("/proc/self/mountinfo"));
        assertFalse(hostMounts.contains(bundle.resolve("rootfs/proc").toString()), "nothing leaked to the host");
    }

    @Test
    void uidAndGidMapsAsSpecified() throws Exception {
        String out = runInside("userns", "cat /proc/self/uid_map /proc/self/gid_map; id -u", "",
                """
                linux:
                  namespaces: [{type: user}, {type: pid}, {type: mount}, {type: uts}]
                  uidMappings: [{containerID: 0, hostID: 100000, size: 65536}]
                  gidMappings: [{containerID: 0, hostID: 200000, size: 1000}]
                """);
        List<String> lines = out.lines().map(l -> l.trim().replaceAll("\\s+", " ")).toList();
        assertEquals(List.of("0 100000 65536", "0 200000 1000", "0"), lines);
    }

    @Test
    void cgroupNamespaceMakesTheContainersCgroupItsRoot() throws Exception {
        String out = runInside("cgns", "cat /proc/self/cgroup", "",
                "linux:\n  namespaces: [{type: pid}, {type: mount}, {type: uts}, {type: cgroup}]\n");
        assertTrue(out.lines().allMatch(l -> l.endsWith(":/")), "every hierarchy shows / inside: " + out);
    }

    @Test
    void timeNamespaceOffsetsTheMonotonicClock() throws Exception {
        double hostUptime = Double.parseDouble(dev.jrun.sys.ProcFiles.read(Path.of("/proc/uptime")).split(" ")[0]);
        String out = runInside("timens", "cut -d' ' -f1 /proc/uptime", "",
                "linux:\n  namespaces: [{type: pid}, {type: mount}, {type: uts}, {type: time}]\n"
                        + "  timeOffsets: {boottime: {secs: 86400}}\n");
        double inside = Double.parseDouble(out.strip());
        assertTrue(inside > hostUptime + 86000, "uptime inside " + inside + " is a day ahead of " + hostUptime);
    }
}
