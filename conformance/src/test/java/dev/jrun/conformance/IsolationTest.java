package dev.jrun.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * config.md and config-linux.md, checked from inside: each container runs busybox commands that
 * print what the process sees, and the test reads the container's stdout once it has stopped.
 */
@DisplayName("Isolation and the process (config.md, config-linux.md)")
class IsolationTest extends ContainerTestSupport {

    @Test
    @DisplayName("pid namespace: \"processes inside the container will only be able to see other processes inside the same container\"")
    void pidNamespaceShowsOnlyTheContainersProcesses() throws Exception {
        String out = runToCompletion(config().sh("echo $$; for p in /proc/[0-9]*; do echo ${p#/proc/}; done; readlink /proc/self/ns/pid"));
        List<String> lines = out.lines().toList();
        assertEquals("1", lines.getFirst(), "the container process is PID 1 of its namespace: " + out);
        assertEquals(List.of("1"), lines.subList(1, lines.size() - 1), "/proc inside lists only the container's process: " + out);
        assertNotEquals(Host.ownNamespace("pid"), lines.getLast(), "the host's pid namespace");
    }

    @Test
    @DisplayName("hostname: \"specifies the container's hostname as seen by processes running inside the container\"; "
            + "uts namespace: \"the container will be able to have its own hostname\"")
    void hostnameInItsOwnUtsNamespace() throws Exception {
        String host = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        String out = runToCompletion(config().namespaces("uts").hostname("conformance-host").sh("hostname; readlink /proc/self/ns/uts"));
        List<String> lines = out.lines().toList();
        assertEquals("conformance-host", lines.getFirst(), out);
        assertNotEquals(Host.ownNamespace("uts"), lines.getLast(), "the host's uts namespace");
        assertEquals(host, Files.readString(Path.of("/proc/sys/kernel/hostname")).strip(), "the host's hostname changed");
    }

    @Test
    @DisplayName("domainname: \"specifies the container's domainname as seen by processes running inside the container\" (runtime-spec 1.1.0)")
    void domainnameInItsOwnUtsNamespace() throws Exception {
        assumeTrue(features.specAtLeast("1.1.0"), "domainname arrived in runtime-spec 1.1.0; the runtime's features claim up to " + features.ociVersionMax());
        String host = Files.readString(Path.of("/proc/sys/kernel/domainname")).strip();
        String out = runToCompletion(config().namespaces("uts").hostname("conformance-host")
                .edit(c -> c.put("domainname", "conformance.example")).sh("cat /proc/sys/kernel/domainname"));
        assertEquals("conformance.example\n", out);
        assertEquals(host, Files.readString(Path.of("/proc/sys/kernel/domainname")).strip(), "the host's domainname changed");
    }

    @Test
    @DisplayName("user namespace and uidMappings/gidMappings: \"the container will be able to remap user and group IDs from the host "
            + "to local users and groups within the container\" (0 → 100000, size 65536)")
    void userNamespaceWithItsIdMappings() throws Exception {
        assumeNamespace("user");
        // Without the /dev/null bind (the script needs no background job): the next test has it, and a jrun bug.
        String out = runToCompletion(userNamespace(config()).withoutMount("/dev/null")
                .sh("cat /proc/self/uid_map /proc/self/gid_map; id -u; id -g; readlink /proc/self/ns/user"));
        List<String> lines = out.lines().map(l -> l.strip().replaceAll("\\s+", " ")).toList();
        assertEquals(List.of("0 100000 65536", "0 100000 65536", "0", "0"), lines.subList(0, 4), out);
        assertNotEquals(Host.ownNamespace("user"), lines.get(4), "the host's user namespace");
    }

    @Test
    @DisplayName("user namespace: the mounts of config.json are made in it as runc spec lays them out "
            + "(a tmpfs on /dev, /dev/null bound onto it)")
    void userNamespaceWithATmpfsDevAndABindMountOntoIt() throws Exception {
        assumeNamespace("user");
        String out = runToCompletion(userNamespace(config()).sh("echo reached the program; test -c /dev/null && echo /dev/null is a device"));
        assertEquals("reached the program\n/dev/null is a device\n", out);
    }

    private static Bundle.Builder userNamespace(Bundle.Builder config) {
        return config.userNamespace(100000, 65536);
    }

    @Test
    @DisplayName("mount namespace: \"the container will have an isolated mount table\"; a mount inside is not in the host's mount table")
    void mountNamespaceKeepsTheContainersMountsInside() throws Exception {
        Container container = container(bundle(config().mount("/mnt", "tmpfs", "tmpfs", "size=1m")
                .sh("readlink /proc/self/ns/mnt; cat /proc/self/mountinfo")));
        container.created();
        assertEquals(List.of(), Host.mountPointsUnder(Rootfs.path()), "the container's mounts are in the host's mount table");
        assertEquals(List.of(), Host.mountPointsUnder(container.bundle().dir()), "the container's mounts are in the host's mount table");
        assertSucceeded(container.start());
        container.awaitStatus("stopped");
        List<String> lines = container.stdout().lines().toList();
        assertNotEquals(Host.ownNamespace("mnt"), lines.getFirst(), "the host's mount namespace");
        List<String[]> mounts = lines.subList(1, lines.size()).stream().map(l -> l.split(" ")).toList();
        assertTrue(mounts.stream().anyMatch(m -> m[4].equals("/")), "a root mount inside: " + lines);
        assertTrue(mounts.stream().anyMatch(m -> m[4].equals("/mnt") && fsType(m).equals("tmpfs")), "the tmpfs on /mnt inside: " + lines);
        assertTrue(mounts.stream().noneMatch(m -> Host.unescape(m[4]).startsWith(Rootfs.path().toString())),
                "host paths are mount points inside: " + lines);
    }

    private static String fsType(String[] mountinfo) {
        int separator = Arrays.asList(mountinfo).indexOf("-");
        return mountinfo[separator + 1];
    }

    @Test
    @DisplayName("ipc namespace: \"processes inside the container will only be able to communicate to other processes inside the same "
            + "container via system level IPC\"")
    void ipcNamespaceIsTheContainersOwn() throws Exception {
        String out = runToCompletion(config().namespaces("ipc").sh("readlink /proc/self/ns/ipc"));
        assertTrue(out.startsWith("ipc:["), out);
        assertNotEquals(Host.ownNamespace("ipc"), out.strip(), "the host's ipc namespace");
    }

    @Test
    @DisplayName("network namespace: \"the container will have its own network stack\" (only lo in /proc/net/dev)")
    void networkNamespaceHasOnlyLoopback() throws Exception {
        String out = runToCompletion(config().namespaces("network").sh("tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '; readlink /proc/self/ns/net"));
        List<String> lines = out.lines().toList();
        assertEquals("lo", lines.getFirst(), out);
        assertEquals(2, lines.size(), "more interfaces than lo: " + out);
        assertNotEquals(Host.ownNamespace("net"), lines.getLast(), "the host's network namespace");
    }

    @Test
    @DisplayName("cgroup namespace: \"the container will have an isolated view of the cgroup hierarchy\" (/proc/self/cgroup shows /)")
    void cgroupNamespaceShowsItsCgroupAsTheRoot() throws Exception {
        assumeNamespace("cgroup");
        String out = runToCompletion(config().namespaces("cgroup").sh("readlink /proc/self/ns/cgroup; cat /proc/self/cgroup"));
        List<String> lines = out.lines().toList();
        assertNotEquals(Host.ownNamespace("cgroup"), lines.getFirst(), "the host's cgroup namespace");
        assertTrue(lines.size() > 1 && lines.subList(1, lines.size()).stream().allMatch(l -> l.endsWith(":/")), "every hierarchy is / inside: " + out);
    }

    @Test
    @DisplayName("time namespace: \"the container will be able to have its own clocks\" (timeOffsets.boottime +1 day)")
    void timeNamespaceOffsetsTheBootClock() throws Exception {
        assumeNamespace("time");
        double hostUptime = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
        String out = runToCompletion(config().namespaces("time")
                .edit(c -> c.withObjectProperty("linux").putObject("timeOffsets").putObject("boottime").put("secs", 86400).put("nanosecs", 0))
                .sh("cut -d' ' -f1 /proc/uptime"));
        double inside = Double.parseDouble(out.strip());
        assertTrue(inside > hostUptime + 86000, "uptime inside " + inside + " is not a day ahead of the host's " + hostUptime);
    }

    @Test
    @DisplayName("process.user: \"uid (int, REQUIRED) specifies the user ID in the container namespace\", "
            + "\"gid (int, REQUIRED) specifies the group ID in the container namespace\"")
    void processRunsAsItsUserAndGroup() throws Exception {
        String out = runToCompletion(config().edit(c -> c.withObjectProperty("process").putObject("user").put("uid", 1000).put("gid", 1001)).sh("id -u; id -g"));
        assertEquals("1000\n1001\n", out);
    }

    @Test
    @DisplayName("process.user: \"additionalGids (array of ints, OPTIONAL) specifies additional group IDs in the container namespace "
            + "to be added to the process\"")
    void processHasItsAdditionalGroups() throws Exception {
        String out = runToCompletion(config().edit(c -> {
            ObjectNode user = c.withObjectProperty("process").putObject("user").put("uid", 1000).put("gid", 1001);
            user.putArray("additionalGids").add(20).add(30);
        }).sh("id -G"));
        Set<String> groups = Set.of(out.strip().split("\\s+"));
        assertEquals(Set.of("1001", "20", "30"), groups, out);
    }

    @Test
    @DisplayName("process: \"cwd (string, REQUIRED) is the working directory that will be set for the executable\"")
    void processStartsInItsCwd() throws Exception {
        String out = runToCompletion(config().edit(c -> c.withObjectProperty("process").put("cwd", "/tmp")).sh("pwd"));
        assertEquals("/tmp\n", out);
    }

    @Test
    @DisplayName("process: \"env (array of strings, OPTIONAL) with the same semantics as IEEE Std 1003.1-2008's environ\"")
    void processHasItsEnvironment() throws Exception {
        String out = runToCompletion(config().edit(c -> {
            ArrayNode env = c.withObjectProperty("process").putArray("env");
            env.add("PATH=/bin:/usr/bin").add("CONFORMANCE_GREETING=hello, world").add("CONFORMANCE_EMPTY=");
        }).sh("env"));
        Set<String> env = out.lines().collect(Collectors.toSet());
        assertTrue(env.containsAll(Set.of("PATH=/bin:/usr/bin", "CONFORMANCE_GREETING=hello, world", "CONFORMANCE_EMPTY=")), out);
    }

    @Test
    @DisplayName("process.rlimits: \"rlim.rlim_cur MUST match the configured value\", \"rlim.rlim_max MUST match the configured value\" "
            + "(RLIMIT_NOFILE 1000/2000)")
    void processHasItsRlimits() throws Exception {
        String out = runToCompletion(config().edit(c -> c.withObjectProperty("process").putArray("rlimits").addObject()
                .put("type", "RLIMIT_NOFILE").put("soft", 1000).put("hard", 2000)).sh("ulimit -n; ulimit -Hn"));
        assertEquals("1000\n2000\n", out);
    }

    @Test
    @DisplayName("linux.maskedPaths: \"will mask over the provided paths inside the container so that they cannot be read\"")
    void maskedPathsCannotBeRead() throws Exception {
        assertTrue(Files.size(Rootfs.path().resolve("etc/passwd")) > 0, "the rootfs needs a non-empty /etc/passwd");
        try (var usr = Files.list(Rootfs.path().resolve("usr"))) {
            assertTrue(usr.findAny().isPresent(), "the rootfs needs a non-empty /usr");
        }
        String out = runToCompletion(config().edit(c -> c.withObjectProperty("linux").putArray("maskedPaths").add("/etc/passwd").add("/usr"))
                .sh("cat /etc/passwd | wc -c; ls -A /usr | wc -l"));
        assertEquals(List.of("0", "0"), out.lines().map(String::strip).toList(), "a masked file or directory shows content: " + out);
    }

    @Test
    @DisplayName("linux.readonlyPaths: \"will set the provided paths as readonly inside the container\"")
    void readonlyPathsCannotBeWritten() throws Exception {
        String out = runToCompletion(config().namespaces("uts").mount("/mnt", "tmpfs", "tmpfs", "size=1m")
                .edit(c -> c.withObjectProperty("linux").putArray("readonlyPaths").add("/proc/sys").add("/mnt"))
                .sh("(echo changed > /proc/sys/kernel/hostname) 2>/dev/null && echo written || echo refused; "
                        + "touch /mnt/file 2>/dev/null && echo written || echo refused"));
        assertEquals("refused\nrefused\n", out);
    }

    @Test
    @DisplayName("process.capabilities: \"bounding (array of strings, OPTIONAL) the bounding field contains an array of capabilities "
            + "that are kept for the process\" (and effective, permitted)")
    void capabilitiesAreTheConfiguredOnes() throws Exception {
        assumeTrue(features.capabilities(), "the runtime's features list no capabilities");
        List<String> kept = List.of("CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE");
        String out = runToCompletion(config().edit(c -> {
            ObjectNode caps = c.withObjectProperty("process").putObject("capabilities");
            for (String set : List.of("bounding", "effective", "permitted")) {
                ArrayNode list = caps.putArray(set);
                kept.forEach(list::add);
            }
            caps.putArray("inheritable");
            caps.putArray("ambient");
        }).sh("grep -E '^Cap(Bnd|Eff|Prm):' /proc/self/status"));
        // CAP_CHOWN is bit 0, CAP_KILL bit 5, CAP_NET_BIND_SERVICE bit 10.
        long expected = (1L << 0) | (1L << 5) | (1L << 10);
        for (String set : List.of("CapBnd", "CapEff", "CapPrm")) {
            Optional<String> line = out.lines().filter(l -> l.startsWith(set + ":")).findFirst();
            assertTrue(line.isPresent(), set + " in " + out);
            assertEquals(Long.toHexString(expected), Long.toHexString(Long.parseUnsignedLong(line.get().split("\\s+")[1], 16)), set + ": " + out);
        }
    }

    @Test
    @DisplayName("linux.rootfsPropagation: \"sets the rootfs's mount propagation. Its value is either shared, slave, private or unbindable\" (shared)")
    void rootfsPropagationShared() throws Exception {
        assumeTrue(features.mountOption("shared"), "the runtime's features do not list the mount option shared");
        String out = runToCompletion(config().edit(c -> c.withObjectProperty("linux").put("rootfsPropagation", "shared")).sh("cat /proc/self/mountinfo"));
        String[] root = out.lines().map(l -> l.split(" ")).filter(m -> m[4].equals("/")).findFirst()
                .orElseThrow(() -> new AssertionError("no / in " + out));
        assertTrue(optionalFields(root).stream().anyMatch(f -> f.startsWith("shared:")), "/ is not shared inside: " + String.join(" ", root));
    }

    @Test
    @KnownBug(runtime = "runc", value = "makes the root unbindable before it binds it onto itself, which the kernel refuses (EINVAL)")
    @DisplayName("linux.rootfsPropagation: \"sets the rootfs's mount propagation. Its value is either shared, slave, private or unbindable\" (unbindable)")
    void rootfsPropagationUnbindable() throws Exception {
        assumeTrue(features.mountOption("unbindable"), "the runtime's features do not list the mount option unbindable");
        String out = runToCompletion(config().edit(c -> c.withObjectProperty("linux").put("rootfsPropagation", "unbindable")).sh("cat /proc/self/mountinfo"));
        String[] root = out.lines().map(l -> l.split(" ")).filter(m -> m[4].equals("/")).findFirst()
                .orElseThrow(() -> new AssertionError("no / in " + out));
        assertTrue(optionalFields(root).contains("unbindable"), "/ is not unbindable inside: " + String.join(" ", root));
    }

    @Test
    @DisplayName("mounts: \"The runtime MUST mount entries in the listed order\" (a bind asking for shared propagation keeps its "
            + "place in /proc/self/mountinfo)")
    void mountsAreMountedInTheListedOrder() throws Exception {
        assumeTrue(features.mountOption("rshared"), "the runtime's features do not list the mount option rshared");
        java.nio.file.Path volume = java.nio.file.Files.createDirectories(work.resolve("ordered"));
        String out = runToCompletion(config()
                .mount("/first", "tmpfs", "tmpfs", "size=1m")
                .mount("/second", "bind", volume.toString(), "rbind", "rshared")
                .mount("/third", "tmpfs", "tmpfs", "size=1m")
                .sh("cat /proc/self/mountinfo"));
        List<String> listed = List.of("/", "/first", "/second", "/third");
        List<String> points = out.lines().map(l -> l.split(" ")[4]).filter(listed::contains).toList();
        assertEquals(listed, points, out);
    }

    @Test
    @DisplayName("mounts[].options: the propagation flags shared and unbindable (mount(8)) are applied to the mount")
    void mountPropagationOptions() throws Exception {
        assumeTrue(features.mountOption("shared") && features.mountOption("unbindable"),
                "the runtime's features do not list the mount options shared and unbindable");
        String out = runToCompletion(config().mount("/mnt", "tmpfs", "tmpfs", "size=1m", "shared")
                .mount("/tmp", "tmpfs", "tmpfs", "size=1m", "unbindable").sh("cat /proc/self/mountinfo"));
        List<String[]> mounts = out.lines().map(l -> l.split(" ")).toList();
        String[] shared = mounts.stream().filter(m -> m[4].equals("/mnt")).findFirst().orElseThrow(() -> new AssertionError("no /mnt in " + out));
        String[] unbindable = mounts.stream().filter(m -> m[4].equals("/tmp")).findFirst().orElseThrow(() -> new AssertionError("no /tmp in " + out));
        assertTrue(optionalFields(shared).stream().anyMatch(f -> f.startsWith("shared:")), "/mnt is not shared: " + String.join(" ", shared));
        assertTrue(optionalFields(unbindable).contains("unbindable"), "/tmp is not unbindable: " + String.join(" ", unbindable));
    }

    /** The optional fields of a mountinfo line: between the mount options (field 6) and the "-" separator. */
    private static List<String> optionalFields(String[] mountinfo) {
        return Arrays.asList(mountinfo).subList(6, Arrays.asList(mountinfo).indexOf("-"));
    }
}
