package dev.jrun.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A spec without a mount namespace (docs/spec.md, "Without a mount namespace"): the container shares the runtime's,
 * so everything here, jrun included, runs in a throwaway mount (and pid) namespace ({@link PidNamespaceScript}:
 * `unshare --mount-proc` makes one, with unshare's default propagation, private), where whatever jrun mounts "on the
 * host" lands and dies with it. Each script first checks that it is not in the test's own mount namespace, makes /
 * of its namespace shared (a peer group of its own: nothing reaches the real host), so that any change jrun made to
 * the propagation of / would show, and always ends with `delete --force`.
 */
class NoMountNamespaceIT {
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(120);
    private static final String LINUX = "linux:\n  namespaces: [{type: pid}, {type: uts}, {type: ipc}, {type: network}]\n";

    /** Runs before every body: refuses the test's own mount namespace, then makes / shared and reports its line. */
    private static final String SETUP = """
            [ "$(readlink /proc/self/ns/mnt)" != "$TEST_MNT" ] || { echo "not in a throwaway mount namespace" >&2; exit 99; }
            trap 'jrun delete --force "$ID" >/dev/null 2>&1' EXIT
            mount --make-shared /
            root_line() { awk '$5 == "/" { $1 = ""; $2 = ""; print }' /proc/self/mountinfo; }
            under_rootfs() { awk -v r="$ROOTFS" '$5 == r || index($5, r "/") == 1 { print $5 }' /proc/self/mountinfo | tr '\\n' ' '; }
            report root_before "$(root_line)"
            """;

    @TempDir
    static Path shared;

    static Path bundle;

    @TempDir
    Path work;

    @TempDir
    Path stateRoot;

    JrunProcess jrun;

    @BeforeAll
    static void rootfs() throws Exception {
        bundle = Bundles.busyboxBundle(shared);
    }

    @BeforeEach
    void jrun() {
        jrun = JrunProcess.withRoot(stateRoot);
    }

    private PidNamespaceScript.Result inThrowawayNamespaces(String id, Path spec, String body) throws Exception {
        return PidNamespaceScript.run(work, jrun, SETUP + body, Map.of("ID", id, "SPEC", spec.toString(),
                "ROOTFS", bundle.resolve("rootfs").toString(), "TEST_MNT", Files.readSymbolicLink(Path.of("/proc/self/ns/mnt")).toString(),
                "LOG", work.resolve("jrun.log").toString()), SCRIPT_TIMEOUT);
    }

    @Test
    void theContainerRunsChrootedInTheRuntimesMountNamespaceAndDeleteUnmountsAllItMade() throws Exception {
        String id = "nomnt-" + UUID.randomUUID().toString().substring(0, 8);
        String marker = "root of " + id;
        Files.writeString(bundle.resolve("rootfs/marker"), marker + "\n");
        Path spec = Bundles.spec(bundle, id, "cat /marker; readlink /proc/self/ns/mnt; exec sleep 1000",
                "root: {path: rootfs, readonly: true}\n", LINUX);
        Files.writeString(spec, Files.readString(spec).replace("mounts:\n",
                "mounts:\n  - {destination: /tmp, type: tmpfs, source: tmpfs, options: [nosuid, size=1m]}\n"));
        // root.readonly is also in the line above: drop the one Bundles writes.
        Files.writeString(spec, Files.readString(spec).replaceFirst("root: \\{path: rootfs}\n", ""));

        var result = inThrowawayNamespaces(id, spec, """
                jrun --log "$LOG" create "$SPEC" > container.out 2> container.err; report create_rc $?
                report root_after_create "$(root_line)"
                report mounted "$(under_rootfs)"
                pid=$(jrun state "$ID" | grep -o '"pid" *: *[0-9]*' | tr -dc 0-9)
                report init_root "$(readlink /proc/$pid/root)"
                report my_mnt "$(readlink /proc/self/ns/mnt)"
                jrun start "$ID"; report start_rc $?
                wait_until 20 has_line 'mnt:' container.out && report out "$(cat container.out)"
                report exec_out "$(jrun exec "$ID" sh -c 'cat /marker; touch /written 2>&1; cat /proc/1/cmdline | tr "\\0" " "' 2>&1)"
                jrun delete --force "$ID" 2> delete.err; report delete_rc $?; report delete_err "$(cat delete.err)"
                report mounted_after "$(under_rootfs)"
                report root_after_delete "$(root_line)"
                report state_dirs "$(ls -A "$ROOT")"
                report container_err "$(cat container.err)"
                report log "$(cat "$LOG")"
                """);

        var seen = result.values();
        String all = result.transcript();
        String rootfs = bundle.resolve("rootfs").toString();
        assertEquals("0", seen.get("create_rc"), all);
        assertTrue(seen.get("root_before").contains("shared:"), "/ of the throwaway namespace is shared, so a change would show: " + all);
        assertEquals(seen.get("root_before"), seen.get("root_after_create"), "create left the propagation of / alone: " + all);
        assertEquals(seen.get("root_before"), seen.get("root_after_delete"), all);
        for (String point : new String[] {rootfs, rootfs + "/proc", rootfs + "/dev", rootfs + "/dev/null", rootfs + "/tmp"}) {
            assertTrue((" " + seen.get("mounted")).contains(" " + point + " "), point + " mounted in the runtime's namespace: " + all);
        }
        assertEquals(rootfs, seen.get("init_root"), "the init is chrooted into the rootfs: " + all);
        assertEquals("0", seen.get("start_rc"), all);
        assertEquals(marker + "|" + seen.get("my_mnt"), seen.get("out"), "the container sees the rootfs as / and the caller's mount namespace: " + all);
        assertEquals(marker + "|touch: /written: Read-only file system|sleep 1000 ", seen.get("exec_out"),
                "exec runs in the container's root, read-only as asked, beside its init: " + all);
        assertFalse(Files.exists(bundle.resolve("rootfs/written")), all);
        assertEquals("0", seen.get("delete_rc"), all);
        assertEquals("", seen.get("mounted_after"), "nothing is left mounted under the rootfs: " + all);
        assertEquals("", seen.get("state_dirs"), all);
        assertTrue(seen.get("log").contains("shares the runtime's"), "the warning is in the runtime's log: " + all);
        assertFalse(seen.get("container_err").contains("warning"), "and not on the container's stderr: " + all);
    }

    @Test
    void aCreateThatFailsHalfWayUnmountsWhatItHadMounted() throws Exception {
        String id = "nomnt-" + UUID.randomUUID().toString().substring(0, 8);
        Path spec = Bundles.spec(bundle, id, "true", "", LINUX);
        // After /proc and /dev are mounted, a tmpfs whose option the kernel refuses (EINVAL) fails the plan.
        Files.writeString(spec, Files.readString(spec).replace("mounts:\n", "mounts:\n"
                + "  - {destination: /tmp, type: tmpfs, source: tmpfs, options: [size=1m]}\n").replace("linux:\n", """
                  - {destination: /mnt, type: tmpfs, source: tmpfs, options: [mode=not-octal]}
                linux:
                """));

        var result = inThrowawayNamespaces(id, spec, """
                jrun --log "$LOG" create "$SPEC" > container.out 2> create.err; report create_rc $?
                report create_err "$(cat create.err)"
                report mounted_after "$(under_rootfs)"
                report root_after "$(root_line)"
                report state_dirs "$(ls -A "$ROOT")"
                report_others others
                """);

        var seen = result.values();
        String all = result.transcript();
        assertNotEquals("0", seen.get("create_rc"), all);
        assertTrue(seen.get("create_err").contains("mount /mnt") && seen.get("create_err").contains("EINVAL"),
                "the failure names the mount: " + all);
        assertEquals("", seen.get("mounted_after"), "the rootfs bind, /dev, /proc, /dev/null and /tmp went again: " + all);
        assertEquals(seen.get("root_before"), seen.get("root_after"), all);
        assertEquals("", seen.get("state_dirs"), all);
        assertEquals("", seen.get("others"), "no process left: " + all);
    }

    @Test
    void aCreateKilledAfterMountingIsClearedByDeleteForce() throws Exception {
        String id = "nomnt-" + UUID.randomUUID().toString().substring(0, 8);
        Path spec = Bundles.spec(bundle, id, "true", "", LINUX);

        var result = inThrowawayNamespaces(id, spec, """
                JRUN_FAULT_STOP=record "$JRUN" --root "$ROOT" --log "$LOG" create "$SPEC" > create.out 2> create.err &
                creator=$!
                wait_until 60 has_line "jrun: fault injection: stopped at record" create.err && report stopped yes
                report mounted_before "$(under_rootfs)"
                kill -KILL $creator; wait $creator
                jrun delete --force "$ID" 2> delete.err; report delete_rc $?; report delete_err "$(cat delete.err)"
                report mounted_after "$(under_rootfs)"
                report state_dirs "$(ls -A "$ROOT")"
                """);

        var seen = result.values();
        String all = result.transcript();
        assertEquals("yes", seen.get("stopped"), all);
        assertTrue(seen.get("mounted_before").contains(bundle.resolve("rootfs/proc").toString()), "the plan had mounted: " + all);
        assertEquals("0", seen.get("delete_rc"), all);
        assertEquals("", seen.get("mounted_after"), "the state named every mount point before the helper ran: " + all);
        assertEquals("", seen.get("state_dirs"), all);
    }

    /**
     * Two containers without a mount namespace on one rootfs: the second is refused before it mounts anything (jrun could
     * not tell its mounts from the first's at delete), and the first keeps its own. A bundle reached through a symlink
     * (the state records the mount points as mountinfo lists them) leaves nothing either.
     */
    @Test
    void aSecondContainerOnTheSameRootfsIsRefusedAndALinkedBundleLeavesNothing() throws Exception {
        String id = "nomnt-" + UUID.randomUUID().toString().substring(0, 8);
        Path spec = Bundles.spec(bundle, id, "exec sleep 1000", "", LINUX);
        Path second = Bundles.spec(bundle, id + "-2", "true", "", LINUX);
        Path link = Files.createSymbolicLink(work.resolve("linked-bundle"), bundle);

        var result = inThrowawayNamespaces(id, spec, """
                jrun create "$LINK/$ID.yaml" > /dev/null 2> create.err; report create_rc $?
                report mounted "$(under_rootfs)"
                jrun create "$LINK/$ID-2.yaml" > /dev/null 2> second.err; report second_rc $?
                report second_err "$(cat second.err)"
                report mounted_after_second "$(under_rootfs)"
                jrun delete --force "$ID" 2> delete.err; report delete_rc $?; report delete_err "$(cat delete.err)"
                report mounted_after "$(under_rootfs)"
                report state_dirs "$(ls -A "$ROOT")"
                """.replace("$LINK", link.toString()));

        var seen = result.values();
        String all = result.transcript();
        assertEquals("0", seen.get("create_rc"), all);
        assertTrue(seen.get("mounted").contains(bundle.resolve("rootfs/proc").toString()), "mountinfo lists the real path: " + all);
        assertEquals("1", seen.get("second_rc"), all);
        assertTrue(seen.get("second_err").contains("already has mounts under its rootfs"), all);
        assertEquals(seen.get("mounted"), seen.get("mounted_after_second"), "the first container's mounts are as they were: " + all);
        assertEquals("0", seen.get("delete_rc"), all);
        assertEquals("", seen.get("mounted_after"), all);
        assertEquals("", seen.get("state_dirs"), all);
        Files.delete(second);
    }
}
