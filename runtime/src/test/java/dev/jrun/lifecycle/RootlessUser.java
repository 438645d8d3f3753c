package dev.jrun.lifecycle;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jrun.testing.Command;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A user other than root with 65536 subordinate uids and gids, made once and kept (useradd, usermod): the user a rootless
 * test runs jrun as. Set up from a fresh machine by the test itself, as root; reused, unchanged, when it is there.
 *
 * @param name       the login name
 * @param uid        its uid
 * @param gid        its primary gid
 * @param subUid     the first of its subordinate uids (/etc/subuid)
 * @param subGid     the first of its subordinate gids (/etc/subgid)
 */
record RootlessUser(String name, long uid, long gid, long subUid, long subGid) {
    static final String NAME = "jrun-rootless";
    static final long RANGE = 65536;
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(30);
    private static final long FIRST_SUBORDINATE = 100000;

    /** The user, made if missing; skipped (failed under CI) where the machine cannot have it. */
    static RootlessUser ensure() throws IOException, InterruptedException {
        assumeTrue(Command.of("id", "-u").check(TOOL_TIMEOUT).strip().equals("0"), "making a test user needs root");
        for (String tool : List.of("useradd", "usermod", "setpriv", "newuidmap", "newgidmap")) {
            if (Command.of("sh", "-c", "command -v " + tool).run(TOOL_TIMEOUT).code() != 0) {
                String why = tool + " is missing (packages passwd, util-linux, uidmap: scripts/lib/packages.sh)";
                if ("true".equals(System.getenv("CI"))) {
                    fail(why);
                }
                assumeTrue(false, why);
            }
        }
        if (Command.of("id", "-u", NAME).run(TOOL_TIMEOUT).code() != 0) {
            Command.of("useradd", "--no-create-home", "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", NAME).check(TOOL_TIMEOUT);
        }
        long uid = Long.parseLong(Command.of("id", "-u", NAME).check(TOOL_TIMEOUT).strip());
        long gid = Long.parseLong(Command.of("id", "-g", NAME).check(TOOL_TIMEOUT).strip());
        Path subuid = Path.of("/etc/subuid");
        Path subgid = Path.of("/etc/subgid");
        if (rangeOf(subuid, NAME, uid).isEmpty() || rangeOf(subgid, NAME, uid).isEmpty()) {
            // usermod adds ranges only to files that exist; a minimal image may have neither.
            for (Path file : List.of(subuid, subgid)) {
                if (!Files.exists(file)) {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
                }
            }
            long first = Math.max(FIRST_SUBORDINATE, Math.max(endOfAll(subuid), endOfAll(subgid)));
            String range = first + "-" + (first + RANGE - 1);
            Command.of("usermod", "--add-subuids", range, "--add-subgids", range, NAME).check(TOOL_TIMEOUT);
        }
        return new RootlessUser(NAME, uid, gid, rangeOf(subuid, NAME, uid).orElseThrow(), rangeOf(subgid, NAME, uid).orElseThrow());
    }

    /** Skips (fails under CI) unless this user may run path: a JDK or a build under /root is out of its reach. */
    void requireReachable(Path path) throws IOException, InterruptedException {
        if (Command.of(command(Map.of(), List.of("/usr/bin/test", "-x", path.toString()))).run(TOOL_TIMEOUT).code() != 0) {
            String why = NAME + " cannot run " + path + "; install it where every user can read it";
            if ("true".equals(System.getenv("CI"))) {
                fail(why);
            }
            assumeTrue(false, why);
        }
    }

    /** The command line that runs command as this user, with exactly env (no variable of root's). */
    List<String> command(Map<String, String> env, List<String> command) {
        List<String> line = new ArrayList<>(List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--init-groups", "env", "-i"));
        env.forEach((k, v) -> line.add(k + "=" + v));
        line.addAll(command);
        return line;
    }

    /** A new directory of this user's, mode 0700 (an XDG_RUNTIME_DIR) or 0755. */
    Path directory(Path path, String mode) throws IOException, InterruptedException {
        Files.createDirectories(path);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
        chown(path);
        return path;
    }

    /** Gives path (and everything below it) to this user. */
    void chown(Path path) throws IOException, InterruptedException {
        Command.of("chown", "-R", uid + ":" + gid, path.toString()).check(TOOL_TIMEOUT);
    }

    /** The first id of a range of at least RANGE ids that file gives the user, by name or by uid. */
    private static Optional<Long> rangeOf(Path file, String name, long uid) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        for (String line : Files.readAllLines(file)) {
            String[] fields = line.strip().split(":");
            if (fields.length == 3 && (fields[0].equals(name) || fields[0].equals(Long.toString(uid)))
                    && Long.parseLong(fields[2]) >= RANGE) {
                return Optional.of(Long.parseLong(fields[1]));
            }
        }
        return Optional.empty();
    }

    /** The end of the highest range file gives anyone, so that a new one overlaps none. */
    private static long endOfAll(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        long end = 0;
        for (String line : Files.readAllLines(file)) {
            String[] fields = line.strip().split(":");
            if (fields.length == 3) {
                end = Math.max(end, Long.parseLong(fields[1]) + Long.parseLong(fields[2]));
            }
        }
        return end;
    }
}
