package dev.jrun.tooling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * podman with bin/jrun as its OCI runtime (`podman --runtime bin/jrun`): what a user of podman
 * sees. Each test asserts the container's own output and exit code, so any text of jrun's in
 * them fails it. Skipped, saying so, where podman is not installed.
 */
@DisplayName("podman --runtime bin/jrun")
class PodmanTest {
    private static final String LOOP = "trap 'exit 0' TERM; echo one; echo two; while :; do sleep 1; done";
    private static Podman podman;

    @BeforeAll
    static void start() throws IOException {
        Assumptions.assumeTrue(Exec.onPath("podman").isPresent(), "podman is not installed (apt-get install podman)");
        podman = Podman.start();
    }

    @AfterAll
    static void stop() {
        if (podman != null) {
            podman.close();
        }
    }

    @Test
    void runPrintsTheContainersOutputAndExitsZero() {
        Exec.Result result = podman.run("--rm", "--name", podman.newName(), Podman.IMAGE, "echo", "hi");
        assertEquals(0, result.exit(), result::describe);
        assertEquals("hi\n", result.out(), result::describe);
    }

    /** podman asks for its default seccomp profile; jrun loads it (docs/seccomp.md). */
    @Test
    void theDefaultSeccompProfileFiltersTheContainer() {
        Exec.Result result = podman.run("--rm", "--name", podman.newName(), Podman.IMAGE, "grep", "^Seccomp:", "/proc/self/status");
        assertEquals(0, result.exit(), result::describe);
        assertEquals("Seccomp:\t2\n", result.out(), result::describe);
    }

    @Test
    void runExitsWithTheContainersStatus() {
        Exec.Result result = podman.run("--rm", "--name", podman.newName(), Podman.IMAGE, "sh", "-c", "exit 3");
        assertEquals(3, result.exit(), result::describe);
        assertEquals("", result.out(), result::describe);
    }

    @Test
    void detachedContainerLogsStopsAndIsRemoved() {
        String name = podman.newName();
        Exec.Result run = podman.run("-d", "--name", name, Podman.IMAGE, "sh", "-c", LOOP).ok();
        podman.remember(run.out());
        assertTrue(Host.waitFor(Duration.ofSeconds(10), () -> podman.podman("logs", name).out().equals("one\ntwo\n")),
                () -> podman.podman("logs", name).describe());
        Exec.Result logs = podman.podman("logs", name).ok();
        assertEquals("one\ntwo\n", logs.out(), logs::describe);
        // its stderr: containersStderrHoldsNothingOfJrun (jrun's create warning lands there today)

        Exec.Result stop = podman.podman("stop", "--time", "10", name);
        assertEquals(0, stop.exit(), stop::describe);
        assertEquals("exited 0", podman.podman("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", name).out().strip());

        podman.podman("rm", name).ok();
        Exec.Result gone = podman.podman("container", "exists", name);
        assertEquals(1, gone.exit(), gone::describe);
        assertFalse(Files.exists(Podman.JRUN_ROOT.resolve(run.out().strip())), "jrun's state directory is left after podman rm");
    }

    @Test
    void readOnlyVolumeIsReadableAndNotWritable() throws IOException {
        Path host = Files.writeString(podman.work().resolve("volume.txt"), "from the host\n");
        Exec.Result result = podman.run("--rm", "--name", podman.newName(), "-v", host + ":/data/file.txt:ro", Podman.IMAGE,
                "sh", "-c", "cat /data/file.txt; if echo x 2>/dev/null > /data/file.txt; then echo written; else echo refused; fi");
        assertEquals(0, result.exit(), result::describe);
        assertEquals("from the host\nrefused\n", result.out(), result::describe);
        assertEquals("from the host\n", Files.readString(host));
    }

    @Test
    void hostname() {
        Exec.Result result = podman.run("--rm", "--name", podman.newName(), "--hostname", "e2e-box", Podman.IMAGE, "hostname");
        assertEquals(0, result.exit(), result::describe);
        assertEquals("e2e-box\n", result.out(), result::describe);
    }

    @Test
    void memoryAndPidsLimitsAreInTheContainersCgroupFiles() {
        // cgroup v2 (one hierarchy) or v1 (one per controller), as the container sees /sys/fs/cgroup.
        Exec.Result result = podman.run("--rm", "--name", podman.newName(), "--memory", "64m", "--pids-limit", "42", Podman.IMAGE,
                "sh", "-c", "cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes;"
                        + " cat /sys/fs/cgroup/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids/pids.max");
        assertEquals(0, result.exit(), result::describe);
        assertEquals("67108864\n42\n", result.out(), result::describe);
    }

    @Test
    void pauseAndUnpauseShowInPsAndInspect() {
        String name = podman.newName();
        podman.remember(podman.run("-d", "--name", name, Podman.IMAGE, "sh", "-c", LOOP).ok().out());
        podman.podman("pause", name).ok();
        assertEquals("paused", podman.podman("inspect", "--format", "{{.State.Status}}", name).ok().out().strip());
        String ps = podman.podman("ps", "--all", "--filter", "name=^" + name + "$", "--format", "{{.Status}}").ok().out();
        assertTrue(ps.startsWith("Paused"), ps);
        podman.podman("unpause", name).ok();
        assertEquals("running", podman.podman("inspect", "--format", "{{.State.Status}}", name).ok().out().strip());
        ps = podman.podman("ps", "--all", "--filter", "name=^" + name + "$", "--format", "{{.Status}}").ok().out();
        assertTrue(ps.startsWith("Up"), ps);
        podman.podman("rm", "--force", "--time", "0", name).ok();
    }

    @Test
    void topListsTheContainersProcesses() {
        String name = podman.newName();
        podman.remember(podman.run("-d", "--name", name, Podman.IMAGE, "sh", "-c", LOOP).ok().out());
        Exec.Result top = podman.podman("top", name, "pid", "args").ok();
        List<String> rows = top.out().lines().skip(1).map(String::strip).toList();
        assertTrue(rows.stream().anyMatch(row -> row.matches("1\\s+sh -c trap .*")), top::describe);
        podman.podman("rm", "--force", "--time", "0", name).ok();
    }

    @Test
    void inspectStateOfARunningContainer() {
        String name = podman.newName();
        podman.remember(podman.run("-d", "--name", name, Podman.IMAGE, "sh", "-c", LOOP).ok().out());
        String[] state = podman.podman("inspect", "--format", "{{.State.Status}} {{.State.Running}} {{.State.Pid}} {{.OCIRuntime}}", name)
                .ok().out().strip().split(" ");
        assertEquals("running", state[0]);
        assertEquals("true", state[1]);
        long pid = Long.parseLong(state[2]);
        assertTrue(pid > 0 && ProcessHandle.of(pid).isPresent(), "State.Pid " + pid + " is not a live process");
        assertTrue(state[3].endsWith("/jrun"), "OCIRuntime " + state[3]);
        podman.podman("rm", "--force", "--time", "0", name).ok();
    }

    @Test
    void runRmLeavesNoStateDirectoryAndNoCgroup() throws IOException {
        Path cidfile = podman.newCidfile();
        // the host's cgroup namespace, so that /proc/self/cgroup names the container's cgroups as the host sees them
        Exec.Result result = podman.run("--rm", "--cidfile", cidfile.toString(), "--cgroupns", "host", Podman.IMAGE, "cat", "/proc/self/cgroup");
        assertEquals(0, result.exit(), result::describe);
        String id = podman.readCid(cidfile);
        List<Path> cgroups = Host.cgroupDirs(result.out());
        assertFalse(cgroups.isEmpty(), result::describe);
        assertTrue(cgroups.stream().allMatch(dir -> dir.toString().contains(id)), () -> "not the container's own cgroups: " + cgroups);
        assertFalse(Files.exists(Podman.JRUN_ROOT.resolve(id)), "jrun's state directory is left: " + Podman.JRUN_ROOT.resolve(id));
        assertEquals(List.of(), cgroups.stream().filter(Files::exists).toList(), "cgroups left behind");
    }

    @Test
    void containersStderrHoldsNothingOfJrun() {
        String name = podman.newName();
        podman.remember(podman.run("-d", "--name", name, Podman.IMAGE, "sh", "-c", LOOP).ok().out());
        assertTrue(Host.waitFor(Duration.ofSeconds(10), () -> podman.podman("logs", name).out().equals("one\ntwo\n")));
        Exec.Result logs = podman.podman("logs", name).ok();
        assertEquals("", logs.err(), logs::describe);
        Exec.Result run = podman.run("--rm", "--name", podman.newName(), Podman.IMAGE, "echo", "hi");
        assertEquals("", run.err(), run::describe);
        podman.podman("rm", "--force", "--time", "0", name).ok();
    }

    @Test
    void readOnlyRootHasWritableTmpfsesAndTmpfsKeepsTheImagesFiles() {
        // --read-only: podman mounts /run, /tmp and /var/tmp as tmpfs with tmpcopyup; --tmpfs /etc too (the image's /etc kept).
        Exec.Result run = podman.run("--rm", "--read-only", "--tmpfs", "/etc", "--name", podman.newName(), Podman.IMAGE, "sh", "-c",
                "touch /tmp/ok && echo tmp-writable; touch /bin/x 2>/dev/null || echo root-read-only; test -s /etc/passwd && echo etc-kept");
        assertEquals(0, run.exit(), run::describe);
        assertEquals("tmp-writable\nroot-read-only\netc-kept\n", run.out(), run::describe);
    }

    @Test
    void execRunsInARunningContainer() {
        String name = podman.newName();
        podman.remember(podman.run("-d", "--name", name, Podman.IMAGE, "sh", "-c", LOOP).ok().out());
        Exec.Result exec = podman.podman("exec", name, "sh", "-c", "echo from exec; exit 4");
        assertEquals(4, exec.exit(), exec::describe);
        assertEquals("from exec\n", exec.out(), exec::describe);
        podman.podman("rm", "--force", "--time", "0", name).ok();
    }

    @Test
    void execWithATerminal() {
        String name = podman.newName();
        podman.remember(podman.run("-d", "--name", name, Podman.IMAGE, "sh", "-c", LOOP).ok().out());
        Exec.Result exec = podman.podman("exec", "-t", name, "sh", "-c", "tty; exit 5");
        assertEquals(5, exec.exit(), exec::describe);
        assertTrue(exec.out().startsWith("/dev/pts/"), exec::describe);
        podman.podman("rm", "--force", "--time", "0", name).ok();
    }

    @Test
    void runWithATerminal() {
        Exec.Result result = podman.run("--rm", "-t", "--name", podman.newName(), Podman.IMAGE, "sh", "-c", "tty; stty size >/dev/null && echo sized");
        assertEquals(0, result.exit(), result::describe);
        assertTrue(result.out().startsWith("/dev/pts/"), result::describe);
    }
}
