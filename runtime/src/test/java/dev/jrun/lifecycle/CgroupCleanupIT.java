package dev.jrun.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a container's cgroups leave behind: a create the kernel or the validator refuses leaves no state, no cgroup
 * and no process; a cgroup that holds another's process is refused and left as it was; delete removes exactly the
 * directories jrun made, kills what the container left in a shared pid namespace, and clears what a create killed
 * half-way left. Tests that signal more than one exact pid run jrun in a throwaway pid namespace
 * ({@link PidNamespaceScript}).
 */
class CgroupCleanupIT extends CgroupContainerTest {
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path work;

    private Process bystander;

    @AfterEach
    void endTheBystander() throws Exception {
        if (bystander != null) {
            bystander.destroyForcibly();
            bystander.waitFor();
        }
    }

    private void assertNothingLeft(String id, String cgroupPath) throws Exception {
        assertEquals("absent", jrun().status(id));
        try (var entries = Files.list(stateRoot)) {
            assertEquals(List.of(), entries.toList(), "no state directory");
        }
        assertFalse(HostCgroups.existsAnywhere(cgroupPath), "no cgroup directory " + cgroupPath);
        assertEquals(List.of(), HostCgroups.processesOf(stateRoot), "no process of the container");
    }

    @Test
    void aValueTheKernelRefusesFailsCreateNamingFileValueAndPointerAndLeavesNothing() throws Exception {
        // docs/cli.md: 1, the operation failed
        assertRefusedLeavingNothing("resources: {cpu: {cpus: '99'}}", 1, "cpuset.cpus", "\"99\"", "/linux/resources/cpu/cpus");
    }

    @Test
    void aBadHugePageSizeIsRefusedByValidationBeforeAnythingIsMade() throws Exception {
        // docs/cli.md: 3, an invalid spec
        assertRefusedLeavingNothing("resources: {hugepageLimits: [{pageSize: 2M, limit: 1048576}]}", 3,
                "/linux/resources/hugepageLimits/0/pageSize", "2M");
    }

    /** create with these resources in cgroup /jrun-it-RANDOM/c1 fails with code, its message naming each of named. */
    private void assertRefusedLeavingNothing(String resources, int code, String... named) throws Exception {
        String id = freshId();
        String top = "/" + HostCgroups.unique("jrun-it-");
        cgroups.removeAfter(top, top + "/c1");
        JrunProcess.Result create = jrun().run("create", spec(id, "true", "cgroupsPath: " + top + "/c1\n" + resources + "\n", false).toString());

        assertEquals(code, create.code(), create.err());
        for (String name : named) {
            assertTrue(create.err().contains(name), name + " in: " + create.err());
        }
        assertNothingLeft(id, top);
    }

    @Test
    void aCgroupThatHoldsAProcessIsRefusedAndLeftAsItWas() throws Exception {
        String id = freshId();
        String top = "/" + HostCgroups.unique("jrun-it-");
        cgroups.make(top);
        cgroups.make(top + "/busy");
        Path memory = HostCgroups.v1("memory").or(HostCgroups::unified).orElseThrow();
        bystander = new ProcessBuilder("sleep", "1000").start();
        Files.writeString(memory.resolve(top.substring(1) + "/busy/cgroup.procs"), Long.toString(bystander.pid()));

        JrunProcess.Result create = jrun().run("create", spec(id, "true", "cgroupsPath: " + top + "/busy\n", false).toString());

        assertEquals(1, create.code(), create.err());
        assertTrue(create.err().contains("already holds processes (" + bystander.pid() + ")"), create.err());
        assertTrue(bystander.isAlive(), "the process that was there is untouched");
        assertTrue(HostCgroups.existsEverywhere(top + "/busy"), "the cgroup that was there stays");
        assertEquals(List.of(Long.toString(bystander.pid())), HostCgroups.read(memory.resolve(top.substring(1) + "/busy/cgroup.procs")).lines().toList());
        assertEquals("absent", jrun().status(id));
        assertEquals(List.of(), HostCgroups.processesOf(stateRoot));
    }

    /**
     * The same id under two state roots shares the default /jrun/ID. A second create is refused while the first
     * container's cgroup exists, even once it is empty (that container stopped, not deleted), so that deleting either
     * container can never kill the other's processes.
     */
    @Test
    void aCgroupAnotherContainerMadeIsRefusedEvenWhenEmpty(@TempDir Path otherRoot) throws Exception {
        String id = freshId();
        cgroups.removeAfter("/jrun/" + id);
        create(spec(id, "true", "", false));
        JrunProcess elsewhere = JrunProcess.withRoot(otherRoot);

        JrunProcess.Result whileCreated = elsewhere.run("create", spec(id, "true", "", false).toString());
        assertEquals(1, whileCreated.code(), whileCreated.err());
        assertTrue(whileCreated.err().contains("/jrun/" + id + " (") && whileCreated.err().contains("already holds processes"),
                whileCreated.err());

        assertEquals(0, jrun().run("start", id).code());
        await().atMost(HostCgroups.LONG).until(() -> jrun().status(id).equals("stopped"));
        JrunProcess.Result whileStopped = elsewhere.run("create", spec(id, "true", "", false).toString());
        assertEquals(1, whileStopped.code(), whileStopped.err());
        assertTrue(whileStopped.err().contains("/jrun/" + id + " (") && whileStopped.err().contains("exists already"),
                whileStopped.err());
        assertEquals("absent", elsewhere.status(id));
        assertTrue(HostCgroups.existsEverywhere("/jrun/" + id), "the first container's cgroups stay its own");

        delete(id);
        assertFalse(HostCgroups.existsAnywhere("/jrun/" + id));
    }

    @Test
    void aParentThatExistedStaysWhileWhatCreateMadeGoes() throws Exception {
        String id = freshId();
        String pod = "/" + HostCgroups.unique("jrun-it-");
        cgroups.make(pod); // with a plain mkdir: a v1 cpuset parent has no CPUs yet, and must get them
        cgroups.removeAfter(pod + "/c1", pod + "/c1/leaf");
        long pid = create(spec(id, "true", "cgroupsPath: " + pod + "/c1/leaf\n", false));
        HostCgroups.of(pid).forEach((hierarchy, path) -> assertEquals(pod + "/c1/leaf", path, hierarchy));

        delete(id);
        assertFalse(HostCgroups.existsAnywhere(pod + "/c1"), "what create made goes");
        assertTrue(HostCgroups.existsEverywhere(pod), "what was there stays");
    }

    /**
     * Cgroups made inside the container's own while it ran (systemd in the container, a nested runtime, a sub-cgroup
     * for exec --cgroup) are the container's: delete kills what is in them and removes them with it, as runc does.
     */
    @Test
    void cgroupsMadeInsideTheContainersCgroupGoWithIt() throws Exception {
        String id = freshId();
        String pod = "/" + HostCgroups.unique("jrun-it-");
        cgroups.removeAfter(pod, pod + "/c1", pod + "/c1/inner", pod + "/c1/inner/deeper");
        long pid = create(spec(id, "exec sleep 1000", "cgroupsPath: " + pod + "/c1\n", false));
        for (Path directory : HostCgroups.directories(pod + "/c1")) {
            Files.createDirectories(directory.resolve("inner/deeper"));
        }
        // the init itself moves down, as a process that sorts itself into a cgroup of its own would
        Path deeper = HostCgroups.directories(pod + "/c1/inner/deeper").getFirst();
        Files.writeString(deeper.resolve("cgroup.procs"), Long.toString(pid));
        assertTrue(HostCgroups.read(deeper.resolve("cgroup.procs")).contains(Long.toString(pid)), deeper.toString());

        delete(id);
        assertNothingLeft(id, pod);
        assertFalse(LifecycleIT.isAlive(pid), "the init, in a cgroup below the container's, was killed");
    }

    /** Two created containers in one parent cgroup, which the first one's create makes: {parent, first, second}. */
    private List<String> twoInOneParent() throws Exception {
        String pod = "/" + HostCgroups.unique("jrun-it-");
        String first = freshId();
        String second = freshId();
        cgroups.removeAfter(pod, pod + "/" + first, pod + "/" + second);
        create(spec(first, "true", "cgroupsPath: " + pod + "/" + first + "\n", false));
        create(spec(second, "true", "cgroupsPath: " + pod + "/" + second + "\n", false));
        return List.of(pod, first, second);
    }

    @Test
    void aSharedParentStaysUntilTheLastContainerInItIsDeleted() throws Exception {
        List<String> made = twoInOneParent();
        String pod = made.get(0);

        delete(made.get(2));
        assertFalse(HostCgroups.existsAnywhere(pod + "/" + made.get(2)));
        assertTrue(HostCgroups.existsEverywhere(pod + "/" + made.get(1)), "the other container's cgroup is untouched");
        assertTrue(HostCgroups.existsEverywhere(pod), "the parent stays while it holds the other");

        delete(made.get(1));
        assertFalse(HostCgroups.existsAnywhere(pod), "the container that made the parent takes it when it goes last");
    }

    @Test
    void deletingTheContainerThatMadeASharedParentKeepsItForTheOther() throws Exception {
        List<String> made = twoInOneParent();
        String pod = made.get(0);

        JrunProcess.Result delete = jrun().run("delete", "--force", made.get(1));
        assertEquals(0, delete.code(), "a parent kept for another container's cgroup is no error: " + delete.err());
        assertFalse(HostCgroups.existsAnywhere(pod + "/" + made.get(1)));
        assertTrue(HostCgroups.existsEverywhere(pod + "/" + made.get(2)));

        delete(made.get(2));
        assertFalse(HostCgroups.existsAnywhere(pod + "/" + made.get(2)));
        // The parent is now no container's record and stays, like runc's parents (docs/cgroups.md): removed after the test.
    }

    @Test
    void deleteKillsWhatTheInitLeftInASharedPidNamespaceAndRemovesTheCgroup() throws Exception {
        String id = freshId();
        String top = "/" + HostCgroups.unique("jrun-it-");
        cgroups.removeAfter(top, top + "/c1");
        // No pid namespace: the double fork's sleep outlives the init and is reparented out of the container's tree.
        Path spec = spec(id, "(sleep 1000 &); exit 0", "cgroupsPath: " + top + "/c1\n", false, """
                linux:
                  namespaces: [{type: mount}, {type: uts}, {type: ipc}, {type: network}]
                """);
        Path pids = HostCgroups.v1("pids").or(HostCgroups::unified).orElseThrow().resolve(top.substring(1) + "/c1/cgroup.procs");
        var result = PidNamespaceScript.run(work, jrun(), """
                jrun create "$SPEC" 2> create.err; report create_rc $?; report create_err "$(cat create.err)"
                jrun start "$ID"; report start_rc $?
                stopped() { jrun state "$ID" 2>/dev/null | grep -q '"status" *: *"stopped"'; }
                wait_until 20 stopped && report stopped yes
                left=$(cat "$PIDS"); report left "$left"
                alive "$left" && report left_alive yes
                jrun delete "$ID" 2> delete.err; report delete_rc $?; report delete_err "$(cat delete.err)"
                wait_until 20 gone "$left" && report left_gone yes
                [ -d "$(dirname "$PIDS")" ] && report cgroup_after_delete present || report cgroup_after_delete gone
                report_others others
                """, Map.of("SPEC", spec.toString(), "ID", id, "PIDS", pids.toString()), SCRIPT_TIMEOUT);

        var seen = result.values();
        String all = result.transcript();
        assertEquals("0", seen.get("create_rc"), all);
        assertEquals("yes", seen.get("stopped"), all);
        assertEquals("yes", seen.get("left_alive"), "the sleep outlived the init, in the container's cgroup: " + all);
        assertEquals("0", seen.get("delete_rc"), all);
        assertEquals("yes", seen.get("left_gone"), "delete killed it: " + all);
        assertEquals("gone", seen.get("cgroup_after_delete"), all);
        assertEquals("", seen.get("others"), all);
        assertFalse(HostCgroups.existsAnywhere(top), all);
    }

    @Test
    void aCreateKilledAfterItsCgroupsWereMadeIsClearedByDeleteForce() throws Exception {
        // At rootfs the cgroups are made, recorded and joined; at cgroups nothing is made yet.
        for (String stage : List.of("rootfs", "cgroups")) {
            String id = freshId();
            String top = "/" + HostCgroups.unique("jrun-it-");
            cgroups.removeAfter(top, top + "/c1");
            Path spec = spec(id, "exec sleep 1000", "cgroupsPath: " + top + "/c1\n", false);
            String procs = HostCgroups.directories(top + "/c1").getFirst().resolve("cgroup.procs").toString();
            var result = PidNamespaceScript.run(work, jrun(), """
                    JRUN_FAULT_STOP=$STAGE "$JRUN" --root "$ROOT" create "$SPEC" > create.out 2> create.err &
                    creator=$!
                    stopped() { has_line "jrun: fault injection: stopped at $STAGE" create.err; }
                    wait_until 60 stopped && report stopped yes
                    [ -f "$PROCS" ] && report cgroup_before present || report cgroup_before absent
                    report members "$(cat "$PROCS" 2>/dev/null | tr '\\n' ' ')"
                    kill -KILL $creator; wait $creator; report creator_rc $?
                    report recorded "$(grep -o '"made":\\[[^]]*\\]' "$ROOT/$ID/state.json")"
                    jrun delete --force "$ID" 2> delete.err; report delete_rc $?; report delete_err "$(cat delete.err)"
                    [ -f "$PROCS" ] && report cgroup_after present || report cgroup_after absent
                    wait_until 20 none_left || true
                    report_others others
                    report root_entries "$(ls -A "$ROOT")"
                    """, Map.of("SPEC", spec.toString(), "ID", id, "STAGE", stage, "PROCS", procs), SCRIPT_TIMEOUT);

            var seen = result.values();
            String all = stage + ": " + result.transcript();
            assertEquals("yes", seen.get("stopped"), all);
            assertEquals("137", seen.get("creator_rc"), all);
            if (stage.equals("rootfs")) {
                assertEquals("present", seen.get("cgroup_before"), all);
                assertFalse(seen.get("members").isBlank(), "the init had joined: " + all);
                assertTrue(seen.get("recorded").contains(top + "/c1") && seen.get("recorded").contains(top + "\""),
                        "state.json records both levels made: " + all);
            } else {
                assertEquals("absent", seen.get("cgroup_before"), all);
            }
            assertEquals("0", seen.get("delete_rc"), all);
            assertEquals("absent", seen.get("cgroup_after"), all);
            assertEquals("", seen.get("others"), all);
            assertEquals("", seen.get("root_entries"), all);
            assertFalse(HostCgroups.existsAnywhere(top), all);
        }
    }
}
