package dev.jrun.tooling;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** The host around the tests: jrun's checkout, mounts, host-wide paths the tools write, jrun's server. */
final class Host {
    private Host() {}

    static Path repo() {
        return Path.of(System.getProperty("jrun.repo", "..")).toAbsolutePath().normalize();
    }

    static Path jrun() {
        return repo().resolve("bin/jrun");
    }

    /**
     * A launcher for podman or containerd's shim to call instead of bin/jrun: both hand their OCI
     * runtime an environment of their own, so the server directory and idle time are set here, in
     * the work directory, where close() can stop that server by its pid.
     */
    static Path jrunWrapper(Path work) throws IOException {
        Path server = work.resolve("server");
        Files.createDirectories(server);
        Files.setPosixFilePermissions(server, PosixFilePermissions.fromString("rwx------"));
        Path wrapper = work.resolve("jrun");
        Files.writeString(wrapper, "#!/bin/sh\n"
                + "# podman and containerd's shim give their OCI runtime an environment of their own: jrun's server lives here.\n"
                + "export JRUN_SERVER_DIR='" + server + "' JRUN_SERVER_IDLE=30\n"
                + "exec '" + jrun() + "' \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        return wrapper;
    }

    /** SIGTERM to the jrun server of work/server, only if the pid in its pid file is that server; waits for it to end. */
    static void stopJrunServer(Path work) {
        Path dir = work.resolve("server");
        try {
            // A server may be starting beside the last one-shot command: its starter holds the start lock until it listens
            // and has written its pid file (docs/server.md). flock(1) takes the same kind of lock as the client.
            Path lock = dir.resolve("jrun-server.lock");
            if (Files.exists(lock)) {
                new ProcessBuilder("flock", "-w", "60", lock.toString(), "true").start().waitFor();
            }
            long pid = Long.parseLong(Files.readString(dir.resolve("jrun-server.pid")).strip());
            Optional<ProcessHandle> server = ProcessHandle.of(pid).filter(handle -> handle.info().arguments()
                    .map(args -> String.join(" ", args).contains("server --dir " + dir + " ")).orElse(false));
            server.ifPresent(handle -> {
                handle.destroy();
                handle.onExit().orTimeout(20, TimeUnit.SECONDS).exceptionally(e -> null).join();
            });
        } catch (IOException | NumberFormatException e) {
            // no server was started there
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Mount points under dir (not dir itself), deepest first, from /proc/self/mountinfo. */
    static List<String> mountsUnder(Path dir) {
        String prefix = dir.toString() + "/";
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/mountinfo"))) {
            return lines.map(line -> line.split(" ")[4])
                    .filter(point -> point.startsWith(prefix))
                    .distinct()
                    .sorted(Comparator.reverseOrder())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Unmounts what is mounted under dir (by exact path, deepest first), then removes dir unless a mount stays. */
    static void removeWorkDir(Path dir) {
        for (int round = 0; round < 2; round++) {
            for (String point : mountsUnder(dir)) {
                if (Exec.run(Map.of(), List.of("umount", point)).exit() != 0) {
                    Exec.run(Map.of(), List.of("umount", "-l", point));
                }
            }
        }
        if (!mountsUnder(dir).isEmpty()) {
            System.err.println("tooling: left " + dir + " in place: mounts remain under it " + mountsUnder(dir));
            return;
        }
        deleteTree(dir);
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            System.err.println("tooling: could not remove all of " + dir + ": " + e);
        }
    }

    /**
     * Host-wide paths a tool writes whatever its configuration says (podman 4: its blob cache at
     * import, netavark's run directory; containerd 1.6: its shims' sockets and fifos under
     * /run/containerd). The ones missing when the tests start are removed at the end, if empty.
     */
    static final class MadePaths {
        private final List<Path> missing = new ArrayList<>();

        MadePaths(String... paths) {
            for (String path : paths) {
                if (!Files.exists(Path.of(path), LinkOption.NOFOLLOW_LINKS)) {
                    missing.add(Path.of(path));
                }
            }
        }

        void removeMade() {
            for (Path path : missing.reversed()) {
                try {
                    Files.deleteIfExists(path);
                } catch (DirectoryNotEmptyException e) {
                    // someone else uses it now
                } catch (IOException e) {
                    System.err.println("tooling: could not remove " + path + ": " + e);
                }
            }
        }
    }

    /** Waits (Awaitility) until the condition holds or the time is up; returns whether it held. */
    static boolean waitFor(Duration timeout, BooleanSupplier condition) {
        try {
            Awaitility.await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50)).atMost(timeout)
                    .until(condition::getAsBoolean);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    /** The cgroup directories of a process, one per hierarchy, from /proc/PID/cgroup and /proc/self/mountinfo. */
    static List<Path> cgroupDirs(String procSelfCgroup) {
        List<Path> dirs = new ArrayList<>();
        for (String line : procSelfCgroup.strip().split("\n")) {
            String[] fields = line.split(":", 3);
            if (fields.length != 3) {
                continue;
            }
            String controllers = fields[1];
            String hierarchy;
            if (controllers.isEmpty()) {
                hierarchy = Files.exists(Path.of("/sys/fs/cgroup/unified/cgroup.procs")) ? "unified" : "";
            } else if (controllers.startsWith("name=")) {
                hierarchy = controllers.substring("name=".length());
            } else {
                hierarchy = Files.isDirectory(Path.of("/sys/fs/cgroup", controllers)) ? controllers : controllers.split(",")[0];
            }
            Path root = hierarchy.isEmpty() ? Path.of("/sys/fs/cgroup") : Path.of("/sys/fs/cgroup", hierarchy);
            if (fields[2].equals("/")) {
                continue;
            }
            dirs.add(root.resolve(fields[2].substring(1)));
        }
        return dirs;
    }
}
