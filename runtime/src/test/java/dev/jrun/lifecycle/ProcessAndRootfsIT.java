package dev.jrun.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jrun.testing.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The process as the spec describes it, the root filesystem's variants, joined namespaces and --log. */
class ProcessAndRootfsIT extends BusyboxContainerTest {
    private JrunProcess.Result run(Path spec, String... options) throws Exception {
        String[] args = new String[options.length + 2];
        args[0] = "run";
        System.arraycopy(options, 0, args, 1, options.length);
        args[args.length - 1] = spec.toString();
        return JrunProcess.withRoot(stateRoot).run(args);
    }

    @Test
    void userGroupsUmaskCwdAndEnvAsSpecified() throws Exception {
        Path spec = Bundles.spec(bundle, "who", "id -u; id -g; id -G; umask; pwd; echo $GREETING", "");
        Files.writeString(spec, Files.readString(spec)
                .replace("user: {uid: 0, gid: 0}", "user: {uid: 1000, gid: 1001, additionalGids: [20, 30], umask: 63}")
                .replace("cwd: /", "cwd: /tmp")
                .replace("env: [PATH=/bin]", "env: [PATH=/bin, GREETING=hello]"));
        JrunProcess.Result result = run(spec);
        assertEquals(0, result.code(), result.err());
        assertEquals("1000\n1001\n1001 20 30\n0077\n/tmp\nhello\n", result.out());
    }

    @Test
    void readonlyRootRefusesWrites() throws Exception {
        Path spec = Bundles.spec(bundle, "ro", "touch /written 2>&1 || echo refused", "");
        Files.writeString(spec, Files.readString(spec).replace("root: {path: rootfs}", "root: {path: rootfs, readonly: true}"));
        JrunProcess.Result result = run(spec);
        assertEquals(0, result.code(), result.err());
        assertTrue(result.out().contains("Read-only file system") && result.out().contains("refused"), result.out());
        assertTrue(Files.notExists(bundle.resolve("rootfs/written")));
    }

    @Test
    void noPivotMovesTheRootAndStillIsolates() throws Exception {
        Path spec = Bundles.spec(bundle, "nopivot", "echo $$; ls /", "");
        JrunProcess.Result result = run(spec, "--no-pivot");
        assertEquals(0, result.code(), result.err());
        assertTrue(result.out().startsWith("1\n"), result.out());
        assertTrue(result.out().contains("bin") && !result.out().contains("work"), result.out());
    }

    @Test
    void rootfsOwnedByTheMappedIdsIsWritableForContainerRoot(@TempDir Path owned) throws Exception {
        Path rootfs = Bundles.busyboxBundle(Bundles.searchable(owned)).resolve("rootfs");
        exec("chown", "-R", "100000:100000", rootfs.toString());
        Path spec = Bundles.spec(owned, "owned", "touch /mine && ls -n /mine", "",
                """
                linux:
                  namespaces: [{type: user}, {type: pid}, {type: mount}, {type: uts}]
                  uidMappings: [{containerID: 0, hostID: 100000, size: 65536}]
                  gidMappings: [{containerID: 0, hostID: 100000, size: 65536}]
                """);
        JrunProcess.Result result = run(spec);
        assertEquals(0, result.code(), result.err());
        assertTrue(result.out().matches("(?s).* 0 +0 .*/mine\n"), "owned by root inside: " + result.out());
        assertEquals(100000, (int) Files.getAttribute(rootfs.resolve("mine"), "unix:uid"), "and by 100000 on the host");
    }

    @Test
    void anUnreachableRootfsIsReportedBeforeAnythingIsCreated(@TempDir Path hidden) throws Exception {
        // @TempDir is mode 0700 and owned by host root: container root (host uid 100000) cannot pass it.
        Bundles.busyboxBundle(hidden);
        Path spec = Bundles.spec(hidden, "hidden", "true", "",
                """
                linux:
                  namespaces: [{type: user}, {type: pid}, {type: mount}, {type: uts}]
                  uidMappings: [{containerID: 0, hostID: 100000, size: 65536}]
                  gidMappings: [{containerID: 0, hostID: 100000, size: 65536}]
                """);
        JrunProcess.Result result = run(spec);
        assertEquals(1, result.code());
        assertTrue(result.err().contains("cannot reach its rootfs") && result.err().contains("chmod o+x " + hidden), result.err());
        assertEquals("absent", JrunProcess.withRoot(stateRoot).status("hidden"));
    }

    @Test
    void joinsANetworkNamespaceByPath() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip")), "iproute2 is not installed");
        String name = "jrun-it-" + ProcessHandle.current().pid();
        exec("ip", "netns", "add", name);
        try {
            Path netns = Path.of("/run/netns", name);
            Path spec = Bundles.spec(bundle, "joiner", "readlink /proc/self/ns/net", "",
                    "linux:\n  namespaces: [{type: pid}, {type: mount}, {type: uts}, {type: network, path: " + netns + "}]\n");
            JrunProcess.Result result = run(spec);
            assertEquals(0, result.code(), result.err());
            String inode = Files.getAttribute(netns, "unix:ino").toString();
            assertEquals("net:[" + inode + "]\n", result.out());
        } finally {
            exec("ip", "netns", "delete", name);
        }
    }

    @Test
    void logFileGetsErrorsAsJson() throws Exception {
        Path log = stateRoot.resolveSibling("jrun-it-" + ProcessHandle.current().pid() + ".log");
        try {
            JrunProcess.Result result = JrunProcess.withRoot(stateRoot).run("--log", log.toString(), "--log-format", "json", "start", "nothing-here");
            assertEquals(1, result.code());
            String line = Files.readString(log).strip();
            var entry = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
            assertEquals("error", entry.get("level").asText());
            assertTrue(entry.get("msg").asText().contains("container \"nothing-here\" does not exist"), line);
            assertTrue(entry.has("time"));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static void exec(String... command) throws Exception {
        Command.of(command).check(Duration.ofSeconds(60));
    }
}
