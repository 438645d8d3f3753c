package dev.jrun.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.sys.KnownProcess;
import dev.jrun.sys.ProcStat;
import dev.jrun.testing.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The defects a fault sweep found, one test each, through bin/jrun on the real kernel: what a
 * runtime must never do (signal strangers, act outside --root, act on the wrong container, leave
 * things behind) and the errors it must give instead. Each test fails on the build before the
 * "Safety" commit.
 *
 * Whatever signals more than the exact init of a container with its own pid namespace runs inside a
 * throwaway pid namespace ({@link PidNamespaceScript}): a regression can only reach the test's own
 * processes there.
 */
class SafetyIT extends BusyboxContainerTest {
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(180);
    /** No pid namespace: the container's processes live among the caller's (uts only because the spec sets a hostname). */
    private static final String SHARED_PID_NAMESPACE = "linux:\n  namespaces: [{type: mount}, {type: uts}]\n";

    @TempDir
    Path work;

    /** Processes a test made outside a pid namespace of its own, killed by exact pid and start time. */
    final List<KnownProcess> toKill = new ArrayList<>();

    @AfterEach
    void removeWhatTheTestMade() throws Exception {
        // What list names and what the root holds: a list that fails (a regression) must not leak containers.
        var ids = new java.util.TreeSet<>(jrun().run("list", "-q").out().lines().toList());
        if (Files.isDirectory(stateRoot)) {
            ids.addAll(entries(stateRoot).stream().filter(name -> !name.startsWith(".")).toList());
        }
        for (String id : ids) {
            jrun().run("delete", "--force", id);
        }
        for (KnownProcess process : toKill) {
            process.signal(dev.jrun.sys.Signals.SIGKILL); // through a pidfd: never a process that reused the pid
        }
        // What a test's own hand-removal of a container left: its cgroups, once the killed init has left them.
        cgroups.removeAll();
    }

    private final HostCgroups cgroups = new HostCgroups();

    // ---- 1. kill --all only where the container's processes can be told apart ----------------------
    // (a state without cgroups, written by an older jrun, and sharing a pid namespace: refused, see VerbsWithFakeProcessesTest)

    /** The init runs `sleep 2000` with one child, `sleep 1000`; the script finds both through /proc. */
    private static final String INIT_WITH_ONE_CHILD = "sleep 1000 & exec sleep 2000";

    private static final String FIND_INIT_AND_CHILD = """
            init=$(state_of "$ID" pid); report init "$init"
            has_child() { local c=; read -r c 2>/dev/null < "/proc/$init/task/$init/children"; [ -n "$c" ]; }
            wait_until 30 has_child || report child_wait timeout
            child=; read -r child < "/proc/$init/task/$init/children"; child=${child%% *}; report child "$child"
            """;

    private static final String STATE_OF = """
            # state_of ID FIELD: one field of `jrun state ID`
            state_of() { jrun state "$1" 2>/dev/null | grep -m1 "^  .$2. : " | sed 's/.*: //; s/[",]//g'; }
            """;

    /**
     * Without a pid namespace of its own, the container's processes are told from the others by its cgroup: kill --all
     * signals exactly its members, the init and the init's child, and no other process of the (shared) namespace.
     * Also when it is paused: SIGKILL thaws it after signalling.
     */
    @Test
    void killAllOfAContainerThatSharesThePidNamespaceSignalsExactlyItsCgroupsMembers() throws Exception {
        Path spec = Bundles.spec(bundle, "sharedpid", INIT_WITH_ONE_CHILD, "", SHARED_PID_NAMESPACE);
        var result = PidNamespaceScript.run(work, jrun(), STATE_OF + """
                sleep 1000 & bystander=$!
                for round in running paused; do
                    jrun create "$SPEC" > /dev/null; report create_$round $?
                    jrun start "$ID"; report start_$round $?
                    """ + FIND_INIT_AND_CHILD.indent(4) + """
                    if [ $round = paused ]; then jrun pause "$ID"; report pause $?; report status_while_paused "$(state_of "$ID" status)"; fi
                    jrun kill --all "$ID" KILL 2> kill.err; report kill_all_$round $?; report kill_all_err_$round "$(cat kill.err)"
                    wait_until 20 gone $init && report init_$round dead
                    wait_until 20 gone $child && report child_$round dead
                    report bystander_$round "$(alive $bystander && echo alive || echo dead)"
                    is_stopped() { [ "$(state_of "$ID" status)" = stopped ]; }
                    wait_until 20 is_stopped && report status_$round stopped
                    jrun delete "$ID"; report delete_$round $?
                done
                kill $bystander; wait $bystander
                report_others others_left
                report left "$(jrun list -q)"
                """, Map.of("SPEC", spec.toString(), "ID", "sharedpid"), SCRIPT_TIMEOUT);
        var seen = result.values();
        String all = result.transcript();
        for (String round : List.of("running", "paused")) {
            assertEquals("0", seen.get("create_" + round), all);
            assertEquals("0", seen.get("start_" + round), all);
            assertEquals("0", seen.get("kill_all_" + round), round + ": " + all);
            assertEquals("", seen.get("kill_all_err_" + round), all);
            assertEquals("dead", seen.get("init_" + round), round + ": " + all);
            assertEquals("dead", seen.get("child_" + round), round + ": --all reached the init's child through the cgroup: " + all);
            assertEquals("alive", seen.get("bystander_" + round), round + ": a process of the shared namespace outside the container is untouched: " + all);
            assertEquals("stopped", seen.get("status_" + round), all);
            assertEquals("0", seen.get("delete_" + round), all);
        }
        assertEquals("0", seen.get("pause"), all);
        assertEquals("paused", seen.get("status_while_paused"), all);
        assertEquals("", seen.get("others_left"), "no process of the container is left: " + all);
        assertEquals("", seen.get("left"), all);
    }

    @Test
    void killAllEndsEveryProcessOfAContainerWithItsOwnPidNamespaceAndNobodyElse() throws Exception {
        Path spec = Bundles.spec(bundle, "ownpid", INIT_WITH_ONE_CHILD, "");
        var result = PidNamespaceScript.run(work, jrun(), STATE_OF + """
                sleep 1000 & bystander=$!
                jrun create "$SPEC" > /dev/null; report create $?
                jrun start "$ID"; report start $?
                """ + FIND_INIT_AND_CHILD + """
                jrun kill --all "$ID" KILL 2> kill.err; report kill_all $?; report kill_all_err "$(cat kill.err)"
                wait_until 20 gone $init && report init_after_kill_all dead
                wait_until 20 gone $child && report child_after_kill_all dead
                report bystander_after_kill_all "$(alive $bystander && echo alive || echo dead)"
                is_stopped() { [ "$(state_of "$ID" status)" = stopped ]; }
                wait_until 20 is_stopped && report status stopped
                jrun delete "$ID"; report delete $?
                kill $bystander; wait $bystander
                report_others others_left
                """, Map.of("SPEC", spec.toString(), "ID", "ownpid"), SCRIPT_TIMEOUT);
        var seen = result.values();
        String all = result.transcript();
        assertEquals("0", seen.get("create"), all);
        assertEquals("0", seen.get("start"), all);
        assertEquals("0", seen.get("kill_all"), all);
        assertEquals("dead", seen.get("init_after_kill_all"), all);
        assertEquals("dead", seen.get("child_after_kill_all"), "--all reached the init's child too: " + all);
        assertEquals("alive", seen.get("bystander_after_kill_all"), all);
        assertEquals("stopped", seen.get("status"), all);
        assertEquals("0", seen.get("delete"), all);
        assertEquals("", seen.get("others_left"), "no process of the container is left: " + all);
    }

    // ---- 2. nothing outside --root is read or acted on ------------------------------------------------

    @Test
    void pathsAsIdsNeverReachOutsideTheStateRoot() throws Exception {
        // The state root is work/root: a traversal from it lands in work/, where decoys wait.
        JrunProcess jrun = JrunProcess.withRoot(work.resolve("root"));
        Path spec = Bundles.spec(bundle, "trav", "exec sleep 2000", "");
        var result = PidNamespaceScript.run(work, jrun, STATE_OF + """
                mkdir -p "$ROOT" # an existing root, as /run/jrun is: the kernel resolves <root>/.. only then
                sleep 1000 & decoy=$!
                start_time() { local s; read -r s < "/proc/$1/stat"; s=${s##*) }; set -- $s; echo "${20}"; }
                decoy_state() {
                    mkdir -p "$1"; : > "$1/lock"
                    printf '{"ociVersion":"1.2.0","id":"decoy","pid":%s,"pidStartTime":%s,"creatorPid":0,"creatorStartTime":0,"bundle":"/decoy","rootfs":"/decoy/rootfs","created":"2026-01-01T00:00:00Z","annotations":{},"phase":"CREATED"}' \
                        "$decoy" "$(start_time $decoy)" > "$1/state.json"
                }
                # <root>/../trav, <root>/../x and <root>/.. itself each name the decoy process as their init.
                decoy_state "$WORK/trav"; decoy_state "$WORK/x"; decoy_state "$WORK"
                cp "$WORK/trav/state.json" decoy.json
                try() { local key=$1; shift; jrun "$@" > out 2> err; report "${key}_rc" $?; report "${key}_out" "$(cat out)"; report "${key}_err" "$(cat err)"; }
                try state_trav state ../trav
                try delete_trav delete --force ../trav
                try kill_x kill ../x KILL
                try start_x start ../x
                try state_dotdot state ..
                try delete_dotdot delete --force ..
                try kill_dotdot kill .. KILL
                try killall_dotdot kill --all .. KILL
                report decoy_after_missing "$(alive $decoy && echo alive || echo dead)"
                # With a container "trav" in the root, ../trav is still refused (a path names a spec file only
                # with a spec extension); a spec file's path names it by its stem, whether the file exists or not.
                jrun create --id trav "$SPEC" > /dev/null; report create $?
                try state_trav_existing state ../trav
                report trav_init "$(state_of trav pid)"
                try state_path state no/such/dir/trav.yaml
                try delete_trav_existing delete --force ../trav
                try delete_trav_by_path delete --force ./trav.yaml
                report decoy_after_all "$(alive $decoy && echo alive || echo dead)"
                for d in trav x .; do cmp -s decoy.json "$WORK/$d/state.json" && report "decoy_file_${d/./dotdot}" intact; done
                report root_entries "$(ls -A "$ROOT")"
                """, Map.of("SPEC", spec.toString(), "WORK", work.toString()), SCRIPT_TIMEOUT);
        var seen = result.values();
        String all = result.transcript();
        String refused = "may only hold letters, digits";
        assertEquals("1", seen.get("state_trav_rc"), "state ../trav is refused as an id: " + all);
        assertTrue(seen.get("state_trav_err").contains(refused), all);
        assertFalse(seen.get("state_trav_out").contains("decoy"), "the decoy outside the root was not read: " + all);
        assertEquals("1", seen.get("delete_trav_rc"), "delete --force ../trav is refused as an id: " + all);
        assertEquals("1", seen.get("kill_x_rc"), all);
        assertTrue(seen.get("kill_x_err").contains(refused), all);
        assertEquals("1", seen.get("start_x_rc"), all);
        for (String verb : List.of("state", "delete", "kill", "killall")) {
            assertEquals("1", seen.get(verb + "_dotdot_rc"), verb + " of \"..\" is refused: " + all);
            assertTrue(seen.get(verb + "_dotdot_err").contains("container id \"..\" is not allowed"), verb + ": " + all);
            assertFalse(seen.get(verb + "_dotdot_out").contains("decoy"), all);
        }
        assertEquals("alive", seen.get("decoy_after_missing"), "the decoy named by the files outside the root was not signalled: " + all);
        assertEquals("0", seen.get("create"), all);
        assertEquals("1", seen.get("state_trav_existing_rc"), all);
        assertTrue(seen.get("state_trav_existing_err").contains(refused), all);
        assertFalse(seen.get("state_trav_existing_out").contains("decoy"), all);
        assertNotEquals(seen.get("trav_init"), "", all);
        assertEquals("0", seen.get("state_path_rc"), "a spec file's path names its stem, whether the file exists or not: " + all);
        assertTrue(seen.get("state_path_out").contains("\"id\" : \"trav\""), all);
        assertTrue(seen.get("state_path_out").contains("\"pid\" : " + seen.get("trav_init")), all);
        assertEquals("1", seen.get("delete_trav_existing_rc"), all);
        assertEquals("0", seen.get("delete_trav_by_path_rc"), all);
        assertEquals("alive", seen.get("decoy_after_all"), all);
        for (String d : List.of("trav", "x", "dotdot")) {
            assertEquals("intact", seen.get("decoy_file_" + d), "the decoy state outside the root is untouched: " + all);
        }
        assertEquals("", seen.get("root_entries"), all);
    }

    // ---- 3. a plain word is always an id, whatever files the working directory holds --------------------

    @Test
    void aPlainWordIsTheIdEvenWhenAFileOfThatNameExists(@TempDir Path cwd) throws Exception {
        Files.createSymbolicLink(cwd.resolve("rootfs"), bundle.resolve("rootfs"));
        Files.writeString(cwd.resolve("app.json"), """
                {"ociVersion": "1.2.0", "root": {"path": "rootfs"},
                 "process": {"cwd": "/", "user": {"uid": 0, "gid": 0}, "args": ["sleep", "2000"], "env": ["PATH=/bin"]},
                 "mounts": [{"destination": "/proc", "type": "proc", "source": "proc"}],
                 "linux": {"namespaces": [{"type": "pid"}, {"type": "mount"}]}}
                """);
        JrunProcess jrun = jrun();
        // For create, an existing file ending in .json is a spec file: its stem is the id.
        JrunProcess.Result app = jrun.runIn(cwd, "create", "app.json");
        assertEquals(0, app.code(), app.err());
        JrunProcess.Result appJson = jrun.runIn(cwd, "create", "--id", "app.json", "app.json");
        assertEquals(0, appJson.code(), appJson.err());
        long appInit = jrun.runIn(cwd, "state", "app").json().get("pid").asLong();
        assertEquals("app.json", jrun.runIn(cwd, "state", "app.json").json().get("id").asText(),
                "state app.json is container \"app.json\", though ./app.json exists");
        assertEquals("app", jrun.runIn(cwd, "state", "./app.json").json().get("id").asText(), "a path is a spec file: its stem is the id");

        JrunProcess.Result delete = jrun.runIn(cwd, "delete", "--force", "app.json");
        assertEquals(0, delete.code(), delete.err());
        assertEquals("absent", jrun.status("app.json"), "container \"app.json\" is deleted");
        assertEquals("created", jrun.status("app"), "container \"app\" is untouched");
        assertEquals(appInit, jrun.run("state", "app").json().get("pid").asLong());
        assertTrue(LifecycleIT.isAlive(appInit), "the init of \"app\" was not killed");
    }

    // ---- 4. a signal number out of range is an error, not a stack trace ----------------------------------

    @Test
    void hugeSignalNumbersGiveOneClearLine() throws Exception {
        for (String signal : List.of("99999999999", "RTMIN+99999999999", "SIGRTMAX-99999999999", "2147483648")) {
            for (List<String> args : List.of(List.of("kill", "no-such-container", signal), List.of("kill", "--all", "no-such-container", signal))) {
                JrunProcess.Result result = jrun().run(args.toArray(String[]::new));
                assertNotEquals(0, result.code(), args.toString());
                assertEquals(1, result.err().lines().count(), "one line: " + result.err());
                assertTrue(result.err().contains("unknown signal \"" + signal + "\""), result.err());
                assertFalse(result.err().contains("Exception") || result.err().contains("\tat "), "no stack trace: " + result.err());
            }
        }
    }

    // ---- 6. one damaged state.json ----------------------------------------------------------------------------

    @Test
    void aCorruptStateIsNamedByListAndKeptByDelete() throws Exception {
        Path spec = Bundles.spec(bundle, "intact", "exec sleep 2000", "");
        assertEquals(0, jrun().run("create", spec.toString()).code());
        KnownProcess.now(jrun().run("state", "intact").json().get("pid").asLong()).ifPresent(toKill::add);
        assertEquals(0, jrun().run("create", "--id", "damaged", spec.toString()).code());
        long init = jrun().run("state", "damaged").json().get("pid").asLong();
        toKill.add(KnownProcess.now(init).orElseThrow()); // no state names it any more: the test ends it
        Path stateFile = stateRoot.resolve("damaged/state.json");
        Files.writeString(stateFile, "{\"ociVersion\": \"1.2.0\", \"id\": \"damaged\", \"pid\": garbage");

        JrunProcess.Result list = jrun().run("list");
        assertEquals(0, list.code(), list.err());
        assertTrue(list.out().contains("intact"), "the other containers are listed: " + list.out());
        assertFalse(list.out().contains("damaged"), list.out());
        assertTrue(list.err().contains("\"damaged\""), "the damaged one is named on stderr: " + list.err());
        JrunProcess.Result quiet = jrun().run("list", "-q");
        assertEquals(0, quiet.code(), quiet.err());
        assertEquals(List.of("intact"), quiet.out().lines().toList());

        JrunProcess.Result delete = jrun().run("delete", "--force", "damaged");
        assertEquals(1, delete.code(), delete.err());
        assertTrue(Files.isDirectory(stateFile.getParent()), "the state directory is kept");
        assertTrue(Files.exists(stateFile), "the state is kept");
        assertTrue(LifecycleIT.isAlive(init), "nothing was killed");
        String message = delete.err().toLowerCase(java.util.Locale.ROOT);
        assertTrue(message.matches("(?s).*((removed|removes) nothing|nothing (was|is) removed).*")
                        && message.matches("(?s).*cannot tell which process.*"),
                "delete --force says it removed nothing, and why: " + delete.err());
        assertFalse(message.contains("delete --force damaged` removes it"),
                "delete --force must not advise delete --force, which just refused: " + delete.err());

        assertTrue(message.contains("/jrun/damaged in each hierarchy"), "the message names the cgroups too: " + delete.err());

        // Cleanup by hand, as the message asks: the test knows the init, and removes its cgroups once it is killed.
        cgroups.removeAfter("/jrun/damaged");
        Files.delete(stateFile);
        for (Path file : Files.list(stateFile.getParent()).toList()) {
            Files.delete(file);
        }
        Files.delete(stateFile.getParent());
    }

    // ---- 7. jrun run passes SIGTERM and SIGHUP on to the container ----------------------------------------

    @Test
    void runForwardsTermAndHupAndDeletesTheContainer() throws Exception {
        Path spec = Bundles.spec(bundle, "relay", "trap 'exit 42' TERM; trap 'exit 43' HUP; echo READY; while :; do sleep 0.1; done", "");
        var result = PidNamespaceScript.run(work, jrun(), """
                for signal in TERM HUP; do
                    rm -f run.out run.err
                    "$JRUN" --root "$ROOT" run "$SPEC" > run.out 2> run.err &
                    runner=$!
                    wait_until 60 has_line READY run.out || report "${signal}_ready" timeout
                    kill -s $signal $runner
                    wait_until 30 gone $runner || report "${signal}_exit" timeout
                    wait $runner; report "${signal}_rc" $?
                    report "${signal}_err" "$(cat run.err)"
                    report "${signal}_list" "$(jrun list -q)"
                    report "${signal}_root" "$(ls -A "$ROOT")"
                    wait_until 10 none_left || true
                    report_others "${signal}_others"
                done
                """, Map.of("SPEC", spec.toString()), SCRIPT_TIMEOUT);
        var seen = result.values();
        String all = result.transcript();
        for (String signal : List.of("TERM", "HUP")) {
            assertEquals(signal.equals("TERM") ? "42" : "43", seen.get(signal + "_rc"),
                    "jrun run passed SIG" + signal + " on and exited with the container's status: " + all);
            assertEquals("", seen.get(signal + "_list"), "the container is deleted: " + all);
            assertEquals("", seen.get(signal + "_root"), "no state directory is left: " + all);
            assertEquals("", seen.get(signal + "_others"), "no process is left: " + all);
        }
    }

    // ---- 8. small ones -----------------------------------------------------------------------------------------

    @Test
    void aConfigJsonThatIsAFifoGetsTheSpecReadersError(@TempDir Path fifoBundle) throws Exception {
        Files.createSymbolicLink(fifoBundle.resolve("rootfs"), bundle.resolve("rootfs"));
        exec("mkfifo", fifoBundle.resolve("config.json").toString());
        JrunProcess.Result create = jrun().run("create", "--bundle", fifoBundle.toString(), "fifo");
        assertEquals(4, create.code(), create.err());
        assertTrue(create.err().contains("config.json") && create.err().contains("FIFO"), create.err());
        assertFalse(create.err().contains("holds no config.json"), create.err());
        assertEquals(List.of(), entries(stateRoot));
    }

    @Test
    void aStateRootThatIsAFileIsNamedAsSuch() throws Exception {
        Path file = Files.writeString(work.resolve("not-a-directory"), "x");
        Path spec = Bundles.spec(bundle, "rootfile", "true", "");
        JrunProcess.Result create = JrunProcess.withRoot(file).run("create", spec.toString());
        assertEquals(1, create.code(), create.err());
        assertTrue(create.err().contains("exists and is not a directory"), create.err());
        assertFalse(create.err().contains("already exists"), create.err());
        assertEquals("x", Files.readString(file));
    }

    @Test
    void anIdTooLongForTheSocketPathIsRefusedBeforeAnythingIsMade() throws Exception {
        Path spec = Bundles.spec(bundle, "longid", "true", "");
        String id = "l".repeat(200);
        JrunProcess.Result create = jrun().run("create", "--id", id, spec.toString());
        assertEquals(1, create.code(), create.err());
        assertTrue(create.err().contains("container id is 200 characters long") && create.err().contains("socket"), create.err());
        assertEquals(1, create.err().lines().count(), create.err());
        assertEquals(List.of(), entries(stateRoot), "nothing is created in --root");
    }

    @Test
    void aPidFileThatCannotBeWrittenLeavesNoTemporaryFileAndNoContainer() throws Exception {
        Path spec = Bundles.spec(bundle, "pidfail", "exec sleep 2000", "");
        // A missing directory: the temporary file cannot even be made.
        Path missing = work.resolve("no-such-dir/pid");
        JrunProcess.Result create = jrun().run("create", "--pid-file", missing.toString(), spec.toString());
        assertEquals(1, create.code(), create.err());
        assertTrue(create.err().contains("cannot write the pid file"), create.err());
        assertEquals(List.of(), entries(stateRoot));
        assertEquals("absent", jrun().status("pidfail"));

        // A directory in the pid file's place: the temporary file is written, the rename fails.
        Path taken = Files.createDirectories(work.resolve("taken"));
        Files.writeString(taken.resolve("keep"), "x");
        create = jrun().run("create", "--pid-file", taken.toString(), spec.toString());
        assertEquals(1, create.code(), create.err());
        assertTrue(create.err().contains("cannot write the pid file"), create.err());
        assertFalse(Files.exists(work.resolve("taken.jrun-tmp")), "the temporary pid file is removed");
        assertEquals(List.of(), entries(stateRoot), "no container is left");

        // A read-only directory (a read-only bind mount: root writes through mode bits), in a mount namespace of its own.
        Path readOnly = Files.createDirectories(work.resolve("ro"));
        var script = "mount --bind \"$1\" \"$1\" && mount -o remount,bind,ro \"$1\" && exec \"$2\" --root \"$3\" create --pid-file \"$1/pid\" \"$4\"";
        Command.Result readOnlyCreate = Command.of("unshare", "--mount", "bash", "-c", script, "ro", readOnly.toString(),
                jrun().executable().toString(), stateRoot.toString(), spec.toString()).run(Duration.ofSeconds(60));
        assertEquals(1, readOnlyCreate.code(), readOnlyCreate.transcript());
        assertTrue(readOnlyCreate.err().contains("cannot write the pid file"), readOnlyCreate.transcript());
        assertEquals(List.of(), entries(readOnly));
        assertEquals(List.of(), entries(stateRoot), "no container is left");
    }

    @Test
    void deleteOfAMissingIdFailsWithoutForceAndSucceedsWithIt() throws Exception {
        JrunProcess.Result plain = jrun().run("delete", "no-such-id");
        assertEquals(1, plain.code());
        assertTrue(plain.err().contains("container \"no-such-id\" does not exist"), plain.err());
        JrunProcess.Result forced = jrun().run("delete", "--force", "no-such-id");
        assertEquals(0, forced.code(), forced.err());
        assertEquals("", forced.err());
        // Also when --id names it beside a spec file's path (here of a file that does not exist either).
        JrunProcess.Result forcedById = jrun().run("delete", "--force", "--id", "no-such-id", "./other.yaml");
        assertEquals(0, forcedById.code(), forcedById.err());
        assertEquals("", forcedById.err());
    }

    @Test
    void aStateRootJrunMakesIsPrivate() throws Exception {
        Path root = work.resolve("fresh/root");
        Path spec = Bundles.spec(bundle, "private", "exec sleep 2000", "");
        JrunProcess jrun = JrunProcess.withRoot(root);
        JrunProcess.Result create = jrun.run("create", spec.toString());
        assertEquals(0, create.code(), create.err());
        try {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(root)));
        } finally {
            assertEquals(0, jrun.run("delete", "--force", "private").code());
        }
    }

    @Test
    void anAbandonedStagingDirectoryIsSweptByTheNextCreate() throws Exception {
        // What a create killed between building its staging directory and renaming it leaves: a
        // "~new-*" directory whose lock nobody holds. The next create removes it.
        Files.createDirectories(stateRoot);
        Path staging = Files.createDirectories(stateRoot.resolve("~new-00c0ffee00c0ffee"));
        Files.writeString(staging.resolve("lock"), "");
        Files.writeString(staging.resolve("state.json"), "{}");
        // Only a staging directory a minute old is certainly abandoned (a fresh one may be a live create's).
        Files.setLastModifiedTime(staging, java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(120)));
        Path fresh = Files.createDirectories(stateRoot.resolve("~new-00c0ffee00c0fff0"));
        Path spec = Bundles.spec(bundle, "sweeper", "exec sleep 2000", "");
        assertEquals(0, jrun().run("create", spec.toString()).code());
        assertEquals(List.of("sweeper", fresh.getFileName().toString()), entries(stateRoot), "the old one swept, the fresh one kept");
        assertEquals(0, jrun().run("delete", "--force", "sweeper").code());
        Files.delete(fresh);
        assertEquals(List.of(), entries(stateRoot));
    }

    /**
     * The state root names its private directories "~new-*" (create's staging) and "~gone-*" (delete's
     * tombstones) — so a container must never be able to have such a name: the next create would sweep
     * its state away as an abandoned staging directory, leaving its init running with nothing that names
     * it. Ids that merely look alike (".new-victim") are ordinary containers.
     */
    @Test
    void aContainerIdCanNeverBeTakenForTheStoresPrivateDirectories() throws Exception {
        Path spec = Bundles.spec(bundle, "dotted", "exec sleep 2000", "");
        for (String id : List.of(".new-victim", ".gone-victim", ".hidden", "~new-victim", "~gone-victim")) {
            JrunProcess.Result create = jrun().run("create", "--id", id, spec.toString());
            if (create.code() != 0) {
                assertEquals(1, create.code(), create.err());
                assertTrue(create.err().contains("container id"), "refused as an id: " + create.err());
                continue;
            }
            // Accepted: then it must be an ordinary container, listed and left alone by other creates.
            long init = jrun().run("state", id).json().get("pid").asLong();
            KnownProcess.now(init).ifPresent(toKill::add); // if its state is lost, the test still ends it
            assertEquals(0, jrun().run("create", "--id", "bystander", spec.toString()).code());
            assertEquals("created", jrun().status(id), "another create left container \"" + id + "\" alone");
            assertTrue(jrun().run("list", "-q").out().lines().toList().contains(id), "container \"" + id + "\" is listed");
            assertEquals(0, jrun().run("delete", "--force", "bystander").code());
            assertEquals(0, jrun().run("delete", "--force", id).code());
        }
    }

    private static List<String> entries(Path dir) throws Exception {
        try (var list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void exec(String... command) throws Exception {
        Command.of(command).check(Duration.ofSeconds(30));
    }

    static long startTime(long pid) {
        return ProcStat.startTime(pid).orElseThrow();
    }
}
