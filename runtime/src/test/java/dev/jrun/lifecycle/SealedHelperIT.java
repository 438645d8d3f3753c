package dev.jrun.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.sys.FileIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jrun-init runs only from a sealed memfd copy of itself (sealed.c, docs/security.md): what a container
 * reaches through /proc/PID/exe of a jrun-init is that copy, never the installation's file
 * (CVE-2019-5736).
 *
 * The attack runs against a throwaway installation (bin/jrun, scripts/lib and the jar and jrun-init of
 * runtime/target, copied into the test's directory, without the client, so one-shot: no warm server of
 * the real build is involved). Should the protection be missing, the attack overwrites that copy and the
 * test fails on its hash; the build under test is never written.
 */
class SealedHelperIT extends BusyboxContainerTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** The attacker sees every host process: no pid namespace of its own. */
    private static final String SHARED_PID_NAMESPACE = "linux:\n  namespaces: [{type: mount}, {type: uts}]\n";

    @TempDir
    Path work;

    private final List<Runnable> cleanUp = new ArrayList<>();

    @AfterEach
    void deleteContainers() {
        cleanUp.reversed().forEach(Runnable::run);
    }

    /** A created container's init shows the memfd, and `state` still tells created from running by it. */
    @Test
    void aCreatedInitRunsTheSealedMemfdAndStateStillTellsCreatedFromRunning() throws Exception {
        JrunProcess jrun = jrun();
        Path spec = Bundles.spec(bundle, "seal-created", "exec sleep 2000", "");
        succeeds(jrun.run("create", spec.toString()));
        cleanUp.add(() -> deleteForce(jrun, "seal-created"));
        long pid = jrun.run("state", "seal-created").json().get("pid").asLong();
        Path exe = Path.of("/proc", Long.toString(pid), "exe");

        assertEquals("/memfd:jrun-init (deleted)", Files.readSymbolicLink(exe).toString());
        Path installed = JrunProcess.REPO.resolve("runtime/target/jrun-init");
        assertNotEquals(FileIdentity.of(installed), FileIdentity.of(exe), "the init runs a copy, not " + installed);
        assertEquals("created", jrun.status("seal-created"));

        succeeds(jrun.run("start", "seal-created"));
        await().atMost(WAIT).until(() -> jrun.status("seal-created").equals("running"));
        String program = Files.readSymbolicLink(exe).toString();
        assertTrue(program.endsWith("/busybox") || program.endsWith("/sleep"), "after start the init runs the container's program: " + program);
    }

    /**
     * A container with every capability of root, in the host's pid namespace, attacks the init of another
     * container that waits for `start`: it opens the init's /proc/PID/exe for writing while the init runs,
     * and, the classic way, holds it open read-only until the init is gone and then reopens it for writing
     * through /proc/self/fd. Every write is refused, and the installation's jrun-init is unchanged.
     */
    @Test
    void aContainerCannotWriteJrunInitThroughProcPidExe() throws Exception {
        Path install = copyOfTheInstallation();
        Path initBinary = install.resolve("runtime/target/jrun-init");
        byte[] before = sha256(initBinary);
        JrunProcess jrun = new JrunProcess(install.resolve("bin/jrun"), stateRoot);

        Path victimSpec = Bundles.spec(bundle, "seal-victim", "exec sleep 2000", "");
        succeeds(jrun.run("create", victimSpec.toString()));
        cleanUp.add(() -> deleteForce(jrun, "seal-victim"));
        long victim = jrun.run("state", "seal-victim").json().get("pid").asLong();

        Path out = Files.createDirectories(Bundles.searchable(work).resolve("out"));
        Bundles.searchable(out);
        String attack = """
                p=%d
                say() { echo "$1" >> /out/report; }
                say "link=$(readlink /proc/$p/exe)"
                say "running=$(echo X | dd of=/proc/$p/exe conv=notrunc 2>&1 >/dev/null && echo WRITTEN)"
                exec 3< /proc/$p/exe && say "held=yes"
                while [ -e /proc/$p/exe ] && [ -n "$(readlink /proc/$p/exe)" ]; do sleep 0.05; done
                say "reopened=$(echo X | dd of=/proc/self/fd/3 conv=notrunc 2>&1 >/dev/null && echo WRITTEN)"
                say "truncated=$(: 2>&1 > /proc/self/fd/3 && echo WRITTEN)"
                say done
                exec sleep 2000
                """.formatted(victim).strip().replace("\n", "; "); // one line: a YAML single-quoted scalar folds newlines
        // The bind mount continues the spec's mounts list, which the linux section follows.
        Path attackerSpec = Bundles.spec(bundle, "seal-attacker", attack, "",
                "  - {destination: /out, type: bind, source: " + out + ", options: [bind]}\n" + SHARED_PID_NAMESPACE);
        succeeds(jrun.run("create", attackerSpec.toString()));
        cleanUp.add(() -> deleteForce(jrun, "seal-attacker"));
        succeeds(jrun.run("start", "seal-attacker"));
        Path report = out.resolve("report");
        await().atMost(WAIT).alias("the attacker holds the init's executable open").until(() -> read(report).contains("held=yes"));

        succeeds(jrun.run("delete", "--force", "seal-victim")); // the init is gone: the attack goes on
        await().atMost(WAIT).until(() -> read(report).contains("done"));

        String seen = read(report);
        assertArrayEquals(before, sha256(initBinary), "the installation's jrun-init is unchanged: " + seen);
        for (String key : List.of("running", "reopened", "truncated")) {
            String line = seen.lines().filter(l -> l.startsWith(key + "=")).findFirst().orElseThrow(() -> new AssertionError(seen));
            assertTrue(!line.contains("WRITTEN") && (line.contains("Text file busy") || line.contains("Operation not permitted")),
                    key + ": the write is refused (ETXTBSY while it runs, EPERM by the seals): " + seen);
        }
        assertTrue(seen.contains("link=/memfd:jrun-init (deleted)"), seen);
    }

    /** bin/jrun, scripts/lib and runtime/target's jar and jrun-init: enough for a one-shot jrun of its own. */
    private Path copyOfTheInstallation() throws IOException {
        Path install = work.resolve("install");
        for (String file : List.of("bin/jrun", "scripts/lib/find-jdk.sh", "runtime/target/jrun.jar", "runtime/target/jrun-init")) {
            Path target = install.resolve(file);
            Files.createDirectories(target.getParent());
            Files.copy(JrunProcess.REPO.resolve(file), target, StandardCopyOption.COPY_ATTRIBUTES);
        }
        return install;
    }

    private static void succeeds(JrunProcess.Result result) {
        assertEquals(0, result.code(), result.err());
    }

    private static void deleteForce(JrunProcess jrun, String id) {
        try {
            jrun.run("delete", "--force", id);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }

    private static byte[] sha256(Path file) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
    }
}
