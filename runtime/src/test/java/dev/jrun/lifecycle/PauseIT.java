package dev.jrun.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pause and resume on the real kernel, through bin/jrun: the container's processes stop running while it is paused,
 * `state` and `list` say so, each verb refuses or acts on a paused container as runc's does, and a paused container
 * can still be killed and force-deleted. Whatever signals more than a container's exact init runs in a throwaway pid
 * namespace ({@link PidNamespaceScript}).
 */
class PauseIT extends BusyboxContainerTest {
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Counts in /tmp/n (a tmpfs of its own, read from the host through /proc/PID/root) twenty times a second. */
    private static final String COUNTER = "i=0; while :; do i=$((i+1)); echo $i > /tmp/n; sleep 0.05; done";
    private static final String TMPFS = "  - {destination: /tmp, type: tmpfs, source: tmpfs}\n";

    @TempDir
    Path work;

    @AfterEach
    void deleteWhatTheTestMade() throws Exception {
        for (String id : jrun().run("list", "-q").out().lines().toList()) {
            jrun().run("delete", "--force", id);
        }
    }

    /** A container running script with a tmpfs of its own at /tmp, which the test reads through /proc/PID/root. */
    private long create(String id, String script) throws Exception {
        Path spec = Bundles.spec(bundle, id, script, "");
        Files.writeString(spec, Files.readString(spec).replace("mounts:\n", "mounts:\n" + TMPFS));
        JrunProcess.Result create = jrun().run("create", spec.toString());
        assertEquals(0, create.code(), create.err());
        return jrun().run("state", id).json().get("pid").asLong();
    }

    private long createCounter(String id) throws Exception {
        return create(id, COUNTER);
    }

    private static Path inContainer(long init, String path) {
        return Path.of("/proc", Long.toString(init), "root", path);
    }

    /** The counter's last value, or -1 before it wrote one. */
    private static long count(long init) {
        try {
            String text = Files.readString(inContainer(init, "tmp/n")).strip();
            return text.isEmpty() ? -1 : Long.parseLong(text);
        } catch (Exception e) {
            return -1;
        }
    }

    private static void awaitCounting(long init) {
        long before = count(init);
        await("the counter of pid " + init + " to go on").atMost(WAIT).until(() -> count(init) > Math.max(before, 0));
    }

    private static void assertRefused(JrunProcess.Result result, String message) {
        assertEquals(1, result.code(), result.err());
        assertTrue(result.err().contains(message), result.err());
    }

    @Test
    void aPausedContainerDoesNotRunUntilResumed() throws Exception {
        long init = createCounter("counter");
        assertEquals(0, jrun().run("start", "counter").code());
        awaitCounting(init);

        JrunProcess.Result pause = jrun().run("pause", "counter");
        assertEquals(0, pause.code(), pause.err());
        assertEquals("", pause.err() + pause.out());
        assertEquals("paused", jrun().status("counter"));
        assertEquals(init, jrun().run("state", "counter").json().get("pid").asLong(), "a paused container keeps its pid");
        assertTrue(jrun().run("list").out().lines().anyMatch(line -> line.startsWith("counter ") && line.contains(" paused ")),
                jrun().run("list").out());
        long frozenAt = count(init);
        await("the counter to stand still").during(Duration.ofMillis(600)).atMost(WAIT).until(() -> count(init) == frozenAt);
        if (HostCgroups.v1("freezer").isPresent()) {
            // The v1 freezer holds each task in the kernel's refrigerator, which /proc shows as uninterruptible sleep.
            assertTrue(Files.readString(Path.of("/proc", Long.toString(init), "status")).contains("State:\tD"),
                    "the paused init is frozen in the kernel");
        }

        assertRefused(jrun().run("pause", "counter"), "cannot pause container \"counter\": it is paused; pause needs it created or running");
        assertRefused(jrun().run("start", "counter"), "cannot start container \"counter\": it is paused");
        assertRefused(jrun().run("delete", "counter"), "cannot delete container \"counter\": it is paused; delete needs it stopped (or use --force)");
        assertEquals("paused", jrun().status("counter"), "the refusals changed nothing");

        JrunProcess.Result resume = jrun().run("resume", "counter");
        assertEquals(0, resume.code(), resume.err());
        assertEquals("running", jrun().status("counter"));
        awaitCounting(init);
        assertRefused(jrun().run("resume", "counter"), "cannot resume container \"counter\": it is running; resume needs it paused");
    }

    /**
     * On this hybrid host pause uses the v1 freezer (as runc); the container's cgroup in the v2 tree freezes too, which
     * is what pause uses on a pure v2 host: cgroup.freeze, then cgroup.events reporting "frozen 1".
     */
    @Test
    void theContainersCgroupInTheV2TreeFreezesAndThaws() throws Exception {
        long init = createCounter("unified");
        assertEquals(0, jrun().run("start", "unified").code());
        awaitCounting(init);
        var directories = new com.fasterxml.jackson.databind.ObjectMapper().readTree(stateRoot.resolve("unified/state.json").toFile())
                .get("cgroups").get("directories");
        Path unified = null;
        for (var directory : directories) {
            if (directory.get("hierarchy").asText().equals("unified")) {
                unified = Path.of(directory.get("path").asText());
            }
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(unified != null && Files.exists(unified.resolve("cgroup.freeze")),
                "the container has a cgroup v2 directory with cgroup.freeze (Linux 5.2+)");
        dev.jrun.cgroup.Freezer freezer = new dev.jrun.cgroup.Freezer.V2(unified);

        freezer.freeze();
        assertTrue(Files.readString(unified.resolve("cgroup.events")).lines().anyMatch("frozen 1"::equals));
        assertTrue(freezer.frozen());
        long frozenAt = count(init);
        await("the counter to stand still").during(Duration.ofMillis(600)).atMost(WAIT).until(() -> count(init) == frozenAt);

        freezer.thaw();
        assertFalse(freezer.frozen());
        awaitCounting(init);
    }

    @Test
    void aCreatedContainerCanBePausedAndIsCreatedAgainOnceResumed() throws Exception {
        long init = createCounter("early");
        assertEquals(0, jrun().run("pause", "early").code());
        assertEquals("paused", jrun().status("early"));
        assertRefused(jrun().run("start", "early"), "it is paused; start needs it created");
        assertEquals(0, jrun().run("resume", "early").code());
        assertEquals("created", jrun().status("early"));
        assertEquals(0, jrun().run("start", "early").code());
        awaitCounting(init);
    }

    @Test
    void aPausedContainerDiesOfSigkillAndGetsOtherSignalsOnceResumed() throws Exception {
        // PID 1 ignores a TERM it has no handler for: the test waits until the trap is set.
        long init = create("sig", "trap 'exit 7' TERM; touch /tmp/trapped; while :; do sleep 0.05; done");
        assertEquals(0, jrun().run("start", "sig").code());
        await().atMost(WAIT).until(() -> Files.exists(inContainer(init, "tmp/trapped")));
        assertEquals(0, jrun().run("pause", "sig").code());
        assertEquals(0, jrun().run("kill", "sig", "TERM").code(), "kill of a paused container is allowed");
        await("TERM to wait for resume").during(Duration.ofMillis(500)).atMost(WAIT).until(() -> jrun().status("sig").equals("paused"));
        assertEquals(0, jrun().run("resume", "sig").code());
        await().atMost(WAIT).until(() -> jrun().status("sig").equals("stopped"));
        assertEquals(0, jrun().run("delete", "sig").code());

        long counter = createCounter("killed");
        assertEquals(0, jrun().run("start", "killed").code());
        assertEquals(0, jrun().run("pause", "killed").code());
        JrunProcess.Result kill = jrun().run("kill", "killed", "KILL");
        assertEquals(0, kill.code(), kill.err());
        await().atMost(WAIT).until(() -> jrun().status("killed").equals("stopped"));
        assertFalse(LifecycleIT.isAlive(counter));
        assertEquals(0, jrun().run("delete", "killed").code());
    }

    /** The container's directories under every cgroup mount, as the script lists them (none once it is deleted). */
    private static final String CGROUP_DIRS = """
            cgroup_dirs() { local m; for m in $(awk '$3 == "cgroup" || $3 == "cgroup2" {print $2}' /proc/self/mounts); do
                [ -d "$m/jrun/$1" ] && printf '%s ' "$m/jrun/$1"; done; }
            """;

    @Test
    void deleteForceOfAPausedContainerLeavesNoProcessAndNoCgroup() throws Exception {
        Path spec = Bundles.spec(bundle, "frozen", "sleep 1000 & exec sleep 2000", "");
        var result = PidNamespaceScript.run(work, jrun(), CGROUP_DIRS + """
                sleep 1000 & bystander=$!
                jrun create "$SPEC" > /dev/null; report create $?
                jrun start "$ID"; report start $?
                has_two() { list_others; set -- $OTHERS; [ $# -ge 3 ]; }
                wait_until 30 has_two || report settle timeout
                report dirs_before "$(cgroup_dirs "$ID")"
                jrun pause "$ID"; report pause $?
                jrun delete --force "$ID" 2> delete.err; report delete $?; report delete_err "$(cat delete.err)"
                report dirs_after "$(cgroup_dirs "$ID")"
                report bystander "$(alive $bystander && echo alive || echo dead)"
                kill $bystander; wait $bystander
                report_others others_left
                report left "$(jrun list -q)"
                """, Map.of("SPEC", spec.toString(), "ID", "frozen"), SCRIPT_TIMEOUT);
        var seen = result.values();
        String all = result.transcript();
        assertEquals("0", seen.get("create"), all);
        assertEquals("0", seen.get("start"), all);
        assertFalse(seen.containsKey("settle"), all);
        assertTrue(seen.get("dirs_before").contains("/jrun/frozen"), "the container had cgroups: " + all);
        assertEquals("0", seen.get("pause"), all);
        assertEquals("0", seen.get("delete"), all);
        assertEquals("", seen.get("delete_err"), all);
        assertEquals("", seen.get("dirs_after"), "no cgroup directory of the container is left: " + all);
        assertEquals("alive", seen.get("bystander"), all);
        assertEquals("", seen.get("others_left"), "no process of the container is left: " + all);
        assertEquals("", seen.get("left"), all);
    }
}
