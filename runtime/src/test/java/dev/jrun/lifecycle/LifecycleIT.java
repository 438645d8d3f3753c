package dev.jrun.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jrun.sys.ProcStat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real containers on the real kernel (root required): every lifecycle transition of runtime.md,
 * and every refused one with its error, through bin/jrun.
 */
class LifecycleIT {
    @TempDir
    static Path shared;

    static Path bundle;

    @TempDir
    Path stateRoot;

    JrunProcess jrun;

    @BeforeAll
    static void rootfs() throws Exception {
        bundle = Bundles.busyboxBundle(shared);
    }

    @org.junit.jupiter.api.BeforeEach
    void jrun() {
        jrun = JrunProcess.withRoot(stateRoot);
    }

    @AfterEach
    void nothingLeftBehind() throws Exception {
        for (String id : jrun.run("list", "-q").out().lines().toList()) {
            jrun.run("delete", "--force", id);
        }
        try (var left = Files.list(stateRoot)) {
            assertEquals(0, left.count(), "state directories left in " + stateRoot);
        }
    }

    @Test
    void createdStartedStoppedDeleted() throws Exception {
        Path spec = Bundles.spec(bundle, "life", "read line < /dev/null; echo started", "");
        JrunProcess.Result create = jrun.run("create", spec.toString());
        assertEquals(0, create.code(), create.err());
        var state = jrun.run("state", "life").json();
        assertEquals("created", state.get("status").asText());
        assertTrue(state.get("pid").asLong() > 0);
        assertEquals(bundle.toString(), state.get("bundle").asText());
        assertEquals("1.2.0", state.get("ociVersion").asText());
        assertTrue(Files.isDirectory(Path.of("/proc", state.get("pid").asText())), "the init is alive while created");

        assertEquals(0, jrun.run("start", "life").code());
        await().atMost(Duration.ofSeconds(10)).until(() -> jrun.status("life").equals("stopped"));
        assertEquals(0, jrun.run("state", "life").json().get("pid").asLong(), "a stopped container reports pid 0, as runc does");

        JrunProcess.Result delete = jrun.run("delete", "life");
        assertEquals(0, delete.code(), delete.err());
        assertEquals("absent", jrun.status("life"));
    }

    @TempDir
    Path logs;

    /** Under conmon and the shim create's stderr is the container's: with --log, warnings go there only, as runc's do. */
    @Test
    void aSettingNotAppliedIsAWarningInTheLogWhenThereIsOneElseOnStderr() throws Exception {
        Path spec = Bundles.spec(bundle, "warned", "echo never", "", Bundles.DEFAULT_LINUX + "  personality: {domain: LINUX}\n");
        Path log = logs.resolve("runtime.log");
        JrunProcess.Result logged = jrun.run("--log", log.toString(), "--log-format", "json", "create", spec.toString());
        assertEquals(0, logged.code(), logged.err());
        assertEquals("", logged.err(), "nothing on the container's stderr");
        JsonNode entry = new ObjectMapper().readTree(Files.readString(log).lines().findFirst().orElseThrow());
        assertEquals("warning", entry.get("level").asText());
        assertTrue(entry.get("msg").asText().startsWith("not applied by this build yet: /linux/personality"), entry.toString());
        assertEquals(0, jrun.run("delete", "--force", "warned").code());

        JrunProcess.Result plain = jrun.run("create", spec.toString());
        assertEquals(0, plain.code(), plain.err());
        assertTrue(plain.err().contains("jrun: warning: not applied by this build yet: /linux/personality"), plain.err());
    }

    @Test
    void runningUntilKilled() throws Exception {
        Path spec = Bundles.spec(bundle, "sleeper", "trap 'exit 3' TERM; while true; do sleep 1; done", "");
        assertEquals(0, jrun.run("create", spec.toString()).code());
        assertEquals(0, jrun.run("start", "sleeper").code());
        assertEquals("running", jrun.status("sleeper"));
        JrunProcess.Result second = jrun.run("start", "sleeper");
        assertEquals(1, second.code());
        assertTrue(second.err().contains("cannot start container \"sleeper\": it is running"), second.err());

        JrunProcess.Result deleteRunning = jrun.run("delete", "sleeper");
        assertEquals(1, deleteRunning.code());
        assertTrue(deleteRunning.err().contains("it is running"), deleteRunning.err());
        assertEquals("running", jrun.status("sleeper"), "a refused delete changes nothing");

        assertEquals(0, jrun.run("kill", "sleeper", "TERM").code());
        await().atMost(Duration.ofSeconds(10)).until(() -> jrun.status("sleeper").equals("stopped"));
        JrunProcess.Result killStopped = jrun.run("kill", "sleeper", "KILL");
        assertEquals(1, killStopped.code());
        assertTrue(killStopped.err().contains("it is stopped"), killStopped.err());
        JrunProcess.Result startStopped = jrun.run("start", "sleeper");
        assertEquals(1, startStopped.code());
        assertEquals(0, jrun.run("delete", "sleeper").code());
    }

    @Test
    void forceDeleteKillsARunningContainer() throws Exception {
        Path spec = Bundles.spec(bundle, "forced", "while true; do sleep 1; done", "");
        assertEquals(0, jrun.run("create", spec.toString()).code());
        long pid = jrun.run("state", "forced").json().get("pid").asLong();
        assertEquals(0, jrun.run("start", "forced").code());
        assertEquals(0, jrun.run("delete", "--force", "forced").code());
        assertEquals("absent", jrun.status("forced"));
        assertFalse(isAlive(pid), "the init is dead once delete --force returns");
        // Its parent (the system's reaper, not jrun) collects the exit status soon after.
        await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(Path.of("/proc", Long.toString(pid))));
    }

    /** Alive means running or sleeping: a zombie has exited and only waits to be reaped (ProcStat counts it gone). */
    static boolean isAlive(long pid) {
        return ProcStat.startTime(pid).isPresent();
    }

    @Test
    void killAllReachesEveryProcessOfTheContainer() throws Exception {
        Path spec = Bundles.spec(bundle, "family", "sleep 1000 & sleep 1000 & trap '' TERM; wait", "");
        assertEquals(0, jrun.run("create", spec.toString()).code());
        assertEquals(0, jrun.run("start", "family").code());
        long init = jrun.run("state", "family").json().get("pid").asLong();
        String initNamespace = Files.readSymbolicLink(Path.of("/proc", Long.toString(init), "ns", "pid")).toString();
        await().atMost(Duration.ofSeconds(10)).until(() -> processesIn(initNamespace) == 3);
        assertEquals(0, jrun.run("kill", "--all", "family", "KILL").code());
        await().atMost(Duration.ofSeconds(10)).until(() -> jrun.status("family").equals("stopped"));
        await().atMost(Duration.ofSeconds(10)).until(() -> processesIn(initNamespace) == 0);
    }

    private static long processesIn(String pidNamespace) throws java.io.IOException {
        try (var entries = Files.list(Path.of("/proc"))) {
            return entries.filter(p -> p.getFileName().toString().matches("\\d+")).filter(p -> {
                try {
                    return pidNamespace.equals(Files.readSymbolicLink(p.resolve("ns/pid")).toString()) && isAlive(Long.parseLong(p.getFileName().toString()));
                } catch (java.io.IOException e) {
                    return false;
                }
            }).count();
        }
    }

    @Test
    void aCreateKilledHalfWayIsStoppedAndDeleteCleansUp() throws Exception {
        // What a `jrun create` killed with SIGKILL after cloning the init leaves: phase creating, a dead
        // creator, a live init. Made by hand here, because the window is a few milliseconds wide.
        Process init = new ProcessBuilder("sleep", "1000").start();
        Process creator = new ProcessBuilder("true").start();
        creator.waitFor();
        Path dir = Files.createDirectories(stateRoot.resolve("halfway"));
        Files.writeString(dir.resolve("state.json"), """
                {"ociVersion":"1.2.0","id":"halfway","pid":%d,"pidStartTime":%d,"creatorPid":%d,"creatorStartTime":1,
                 "bundle":"%s","rootfs":"%s","created":"2026-01-01T00:00:00Z","annotations":{},"phase":"CREATING"}
                """.formatted(init.pid(), startTime(init.pid()), creator.pid(), bundle, bundle.resolve("rootfs")));
        assertEquals("stopped", jrun.status("halfway"));
        JrunProcess.Result delete = jrun.run("delete", "--force", "halfway");
        assertEquals(0, delete.code(), delete.err());
        assertTrue(init.waitFor(10, java.util.concurrent.TimeUnit.SECONDS), "the abandoned init was killed");
        assertFalse(Files.exists(dir));
    }

    private static long startTime(long pid) {
        return ProcStat.startTime(pid).orElseThrow();
    }

    @Test
    void killWorksOnACreatedContainer() throws Exception {
        Path spec = Bundles.spec(bundle, "early", "echo never", "");
        assertEquals(0, jrun.run("create", spec.toString()).code());
        assertEquals(0, jrun.run("kill", "early", "KILL").code());
        await().atMost(Duration.ofSeconds(10)).until(() -> jrun.status("early").equals("stopped"));
        assertEquals(0, jrun.run("delete", "early").code());
    }

    @Test
    void duplicateIdFailsAndChangesNothing() throws Exception {
        Path spec = Bundles.spec(bundle, "dup", "echo x", "");
        assertEquals(0, jrun.run("create", spec.toString()).code());
        long pid = jrun.run("state", "dup").json().get("pid").asLong();
        JrunProcess.Result again = jrun.run("create", spec.toString());
        assertEquals(1, again.code());
        assertTrue(again.err().contains("already exists"), again.err());
        assertEquals(pid, jrun.run("state", "dup").json().get("pid").asLong());
        assertEquals("created", jrun.status("dup"));
    }

    @Test
    void invalidIdsAreRefusedAndCreateNothing() throws Exception {
        Path spec = Bundles.spec(bundle, "ids", "echo x", "");
        for (String id : new String[] {"..", "a/b", "x".repeat(300), ""}) {
            JrunProcess.Result result = jrun.run("create", "--id", id, spec.toString());
            assertEquals(1, result.code(), id);
            assertTrue(result.err().contains("container id"), result.err());
        }
    }

    @Test
    void unknownIdIsAnError() throws Exception {
        for (String verb : new String[] {"state", "start", "kill", "delete"}) {
            JrunProcess.Result result = jrun.run(verb, "no-such-container");
            assertEquals(1, result.code(), verb);
            assertTrue(result.err().contains("container \"no-such-container\" does not exist"), result.err());
        }
    }

    @Test
    void failedCreateNamesTheStageAndLeavesNothing() throws Exception {
        Path spec = Bundles.spec(bundle, "broken", "echo x", "").resolveSibling("broken.yaml");
        Files.writeString(spec, Files.readString(spec).replace("args: [sh, -c,", "args: [no-such-program, -c,"));
        JrunProcess.Result result = jrun.run("create", spec.toString());
        assertEquals(1, result.code());
        assertTrue(result.err().contains("prepare the container process"), result.err());
        assertTrue(result.err().contains("LOOKUP no-such-program"), result.err());
        assertTrue(result.err().contains("ENOENT"), result.err());
        assertEquals("absent", jrun.status("broken"));

        Path badMount = Bundles.spec(bundle, "badmount", "echo x", "")
                .resolveSibling("badmount.yaml");
        Files.writeString(badMount, Files.readString(badMount).replace("type: proc, source: proc}",
                "type: proc, source: proc}\n  - {destination: /x, type: no-such-fs, source: none}"));
        JrunProcess.Result mount = jrun.run("create", badMount.toString());
        assertEquals(1, mount.code());
        assertTrue(mount.err().contains("set up the root filesystem and mounts"), mount.err());
        assertTrue(mount.err().contains("ENODEV"), mount.err());
    }

    @Test
    void invalidSpecIsRefusedBeforeAnythingIsCreated() throws Exception {
        Path spec = Files.writeString(bundle.resolve("invalid.yaml"), "ociVersion: 1.2.0\nroot: {path: rootfs}\nhostname: x\n");
        JrunProcess.Result result = jrun.run("create", spec.toString());
        assertEquals(3, result.code());
        assertTrue(result.err().contains("/hostname"), result.err());
        assertEquals("absent", jrun.status("invalid"));
    }

    @Test
    void runPassesTheExitStatusAndCleansUp() throws Exception {
        Path spec = Bundles.spec(bundle, "seven", "exit 7", "");
        JrunProcess.Result result = jrun.run("run", spec.toString());
        assertEquals(7, result.code(), result.err());
        assertEquals("absent", jrun.status("seven"));
    }

    @Test
    void pidFileHoldsTheInitPid() throws Exception {
        Path spec = Bundles.spec(bundle, "pidfile", "echo x", "");
        Path pidFile = stateRoot.resolveSibling("pidfile-" + ProcessHandle.current().pid());
        try {
            assertEquals(0, jrun.run("create", "--pid-file", pidFile.toString(), spec.toString()).code());
            assertEquals(jrun.run("state", "pidfile").json().get("pid").asText(), Files.readString(pidFile));
        } finally {
            Files.deleteIfExists(pidFile);
        }
    }

    @Test
    void runcStyleBundleWithConfigJson(@TempDir Path runcBundle) throws Exception {
        // runc's own config.json, edited only for args and terminal, in a runc-style bundle.
        Files.createSymbolicLink(runcBundle.resolve("rootfs"), bundle.resolve("rootfs"));
        String config = Files.readString(JrunProcess.REPO.resolve("specs/runc-spec.json"))
                .replace("\"terminal\": true", "\"terminal\": false")
                .replace("\"sh\"\n", "\"sh\", \"-c\", \"echo pid=$$ host=$(hostname)\"\n");
        Files.writeString(runcBundle.resolve("config.json"), config);
        JrunProcess.Result result = jrun.run("run", "--bundle", runcBundle.toString(), "runc-style");
        assertEquals(0, result.code(), result.err());
        assertEquals("pid=1 host=runc\n", result.out());
    }

    @Test
    void humanFormTakesTheSpecFile() throws Exception {
        Path spec = Bundles.spec(bundle, "human", "echo x", "");
        assertEquals(0, jrun.run("create", spec.toString()).code());
        assertEquals("created", jrun.run("state", spec.toString()).json().get("status").asText());
        assertNotEquals(0, jrun.run("state", spec.toString()).json().get("pid").asLong());
        assertEquals(0, jrun.run("delete", "--force", spec.toString()).code());
    }
}
