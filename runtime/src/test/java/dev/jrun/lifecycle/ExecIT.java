package dev.jrun.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.testing.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** exec on real containers (root required): namespaces, cgroups, the process's settings, statuses, exit statuses. */
class ExecIT extends CgroupVerbsFixture {
    private static final Duration LONG = Duration.ofSeconds(20);
    private static final String SLEEP = "sleep 1000";
    private static final List<String> KINDS = List.of("pid", "mnt", "uts", "ipc", "net", "cgroup", "user");

    private long initOf(String id) throws Exception {
        return jrun.run("state", id).json().get("pid").asLong();
    }

    private static String read(Path file) throws Exception {
        return Files.readString(file).strip();
    }

    @Test
    void theProcessIsInTheContainersNamespacesAndCgroups() throws Exception {
        start("ns", SLEEP, Bundles.DEFAULT_LINUX + "  cgroupsPath: /jrun-exec-it/ns\n");
        Path pidFile = files.resolve("exec.pid");
        JrunProcess.Result exec = jrun.run("exec", "--detach", "--pid-file", pidFile.toString(), "ns", "sleep", "1000");
        assertEquals(0, exec.code(), exec.err());
        long pid = Long.parseLong(read(pidFile));
        long init = initOf("ns");
        for (String kind : KINDS) {
            assertEquals(Files.readSymbolicLink(Path.of("/proc", Long.toString(init), "ns", kind)),
                    Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", kind)), kind);
        }
        assertEquals(read(Path.of("/proc", Long.toString(init), "cgroup")), read(Path.of("/proc", Long.toString(pid), "cgroup")));
        assertTrue(jrun.run("ps", "--format", "json", "ns").out().contains(Long.toString(pid)), "ps lists it: it is in the cgroups");
        assertEquals(0, jrun.run("delete", "--force", "ns").code());
        await().atMost(LONG).until(() -> !Files.exists(Path.of("/proc", Long.toString(pid))));
    }

    @Test
    void exitStatusesAndOutputAreTheProcesss() throws Exception {
        start("st", SLEEP, Bundles.DEFAULT_LINUX);
        JrunProcess.Result four = jrun.run("exec", "st", "sh", "-c", "echo out; echo err >&2; exit 4");
        assertEquals(4, four.code());
        assertEquals("out\n", four.out());
        assertTrue(four.err().contains("err"), four.err());
        assertEquals(137, jrun.run("exec", "st", "sh", "-c", "kill -KILL $$").code(), "128 + SIGKILL");
        JrunProcess.Result hostname = jrun.run("exec", "st", "hostname");
        assertEquals("st\n", hostname.out(), "the container's uts namespace");
    }

    @Test
    void theCommandLineChangesTheContainersProcess() throws Exception {
        Path spec = Bundles.spec(bundle, "cl", SLEEP, "");
        Files.writeString(spec, Files.readString(spec).replace("env: [PATH=/bin]", "env: [PATH=/bin, FROM_SPEC=yes, OVER=spec]"));
        assertEquals(0, jrun.run("create", spec.toString()).code());
        JrunProcess.Result exec = jrun.run("exec", "--user", "1000:1001", "--additional-gids", "7", "--cwd", "/proc", "-e", "OVER=exec",
                "cl", "sh", "-c", "id -u; id -g; id -G; pwd; echo $FROM_SPEC $OVER");
        assertEquals(0, exec.code(), exec.err());
        assertEquals(List.of("1000", "1001", "1001 7", "/proc", "yes exec"), exec.out().lines().toList(),
                "exec works in a created container too, with the spec's env and the command line's changes");
    }

    @Test
    void aProcessFileIsTheWholeProcess() throws Exception {
        start("pf", SLEEP, Bundles.DEFAULT_LINUX);
        Path process = Files.writeString(files.resolve("process.json"), """
                {"args": ["sh", "-c", "id -u; pwd; echo $ONLY"], "cwd": "/dev", "env": ["PATH=/bin", "ONLY=file"],
                 "user": {"uid": 5, "gid": 5}, "noNewPrivileges": true}
                """);
        JrunProcess.Result exec = jrun.run("exec", "--process", process.toString(), "pf");
        assertEquals(0, exec.code(), exec.err());
        assertEquals(List.of("5", "/dev", "file"), exec.out().lines().toList());

        Path bad = Files.writeString(files.resolve("bad.json"), "{\"args\": [], \"cwd\": \"relative\", \"user\": {\"uid\": 0, \"gid\": 0}}");
        JrunProcess.Result refused = jrun.run("exec", "--process", bad.toString(), "pf");
        assertEquals(3, refused.code(), "an invalid process is an invalid spec");
        assertTrue(refused.err().contains("/process/args") && refused.err().contains("/process/cwd"), refused.err());
    }

    @Test
    void refusalsNameTheReasonAndLeaveNothing() throws Exception {
        start("rf", SLEEP, Bundles.DEFAULT_LINUX);
        int before = jrun.run("ps", "--format", "json", "rf").out().split(",").length;
        JrunProcess.Result missing = jrun.run("exec", "rf", "no-such-program");
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("LOOKUP no-such-program") && missing.err().contains("ENOENT"), missing.err());
        assertEquals(before, jrun.run("ps", "--format", "json", "rf").out().split(",").length, "no process left behind");
        assertTrue(Files.list(stateRoot.resolve("rf")).noneMatch(f -> f.getFileName().toString().endsWith(".sock")
                && !f.getFileName().toString().equals("start.sock")), "no exec socket left");

        JrunProcess.Result nothing = jrun.run("exec", "rf");
        assertEquals(1, nothing.code());
        assertTrue(nothing.err().contains("nothing to run"), nothing.err());

        JrunProcess.Result unknown = jrun.run("exec", "nosuch", "true");
        assertEquals(1, unknown.code());
        assertTrue(unknown.err().contains("container \"nosuch\" does not exist"), unknown.err());

        assertEquals(0, jrun.run("pause", "rf").code());
        JrunProcess.Result paused = jrun.run("exec", "rf", "true");
        assertEquals(1, paused.code());
        assertTrue(paused.err().contains("it is paused"), paused.err());
        assertEquals(0, jrun.run("resume", "rf").code());

        assertEquals(0, jrun.run("kill", "rf", "KILL").code());
        await().atMost(LONG).until(() -> jrun.status("rf").equals("stopped"));
        JrunProcess.Result stopped = jrun.run("exec", "rf", "true");
        assertEquals(1, stopped.code());
        assertTrue(stopped.err().contains("it is stopped"), stopped.err());
    }

    @Test
    void aUserNamespaceIsJoinedFirst() throws Exception {
        Path rootfs = bundle.resolve("rootfs");
        Bundles.searchable(bundle);
        String linux = Bundles.DEFAULT_LINUX.replace("{type: network}]", "{type: network}, {type: user}]")
                + "  uidMappings: [{containerID: 0, hostID: 200000, size: 65536}]\n"
                + "  gidMappings: [{containerID: 0, hostID: 200000, size: 65536}]\n";
        start("us", SLEEP, linux);
        long init = initOf("us");
        JrunProcess.Result exec = jrun.run("exec", "us", "sh", "-c", "id -u; cat /proc/self/uid_map");
        assertEquals(0, exec.code(), exec.err() + " (rootfs " + rootfs + ")");
        assertEquals("0", exec.out().lines().findFirst().orElseThrow());
        assertEquals(read(Path.of("/proc", Long.toString(init), "uid_map")).replaceAll("\\s+", " "),
                exec.out().lines().skip(1).findFirst().orElseThrow().strip().replaceAll("\\s+", " "));
    }

    @Test
    void preservedDescriptorsReachTheProcess() throws Exception {
        start("fd", SLEEP, Bundles.DEFAULT_LINUX);
        Path out = files.resolve("fd3.txt");
        // The caller opens fd 3 and 4; jrun passes them on as 3 and 4 to the process and nothing above them.
        String script = "exec 3>'" + out + "' 4</dev/null; '" + jrun.executable() + "' --root '" + stateRoot
                + "' exec --preserve-fds 2 fd sh -c 'echo through-3 >&3; ls /proc/self/fd'";
        Command.Result result = Command.of("sh", "-c", script).run(Duration.ofSeconds(60));
        assertEquals(0, result.code(), result.err());
        assertEquals("through-3", read(out));
        List<Integer> open = result.out().lines().filter(l -> !l.isBlank()).map(Integer::parseInt).sorted().toList();
        assertEquals(List.of(0, 1, 2, 3, 4), open.subList(0, 5), result.out());
        assertTrue(open.getLast() <= 5, "nothing of the runtime's beyond the preserved ones (5 is ls's own): " + open);
    }
}
