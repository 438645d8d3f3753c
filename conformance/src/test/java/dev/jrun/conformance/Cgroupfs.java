package dev.jrun.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The host's cgroup file systems as the test JVM's mount table shows them (every {@code cgroup} and {@code cgroup2}
 * line of /proc/self/mountinfo), and where a process is in them (/proc/PID/cgroup): enough for the suite to find a
 * container's cgroup and its controller files without any runtime's code.
 *
 * @param mounts each hierarchy's mount, v1 ones with their controllers, the v2 one with none
 */
record Cgroupfs(List<Hierarchy> mounts) {
    /**
     * One mounted hierarchy.
     *
     * @param mountPoint  where it is mounted
     * @param root        the cgroup shown at the mount point ("/" for the whole hierarchy)
     * @param v2          the unified (cgroup2) hierarchy
     * @param controllers its controllers (v1; "name=systemd" for a named one) and flag options such as xattr
     * @param readOnly    mounted read-only
     */
    record Hierarchy(Path mountPoint, String root, boolean v2, List<String> controllers, boolean readOnly) {
        /** The directory of a cgroup path (as /proc/PID/cgroup gives it) below this mount. */
        Path directory(String cgroupPath) {
            return mountPoint.resolve(cgroupPath.substring(1));
        }
    }

    static Cgroupfs read() {
        List<Hierarchy> mounts = new ArrayList<>();
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/mountinfo"))) {
            for (String line : lines.toList()) {
                List<String> fields = Arrays.asList(line.split(" "));
                int separator = fields.indexOf("-");
                String type = fields.get(separator + 1);
                if (!type.equals("cgroup") && !type.equals("cgroup2")) {
                    continue;
                }
                List<String> superOptions = List.of(fields.get(separator + 3).split(","));
                boolean readOnly = List.of(fields.get(5).split(",")).contains("ro") || superOptions.contains("ro");
                List<String> controllers = type.equals("cgroup2") ? List.of()
                        : superOptions.stream().filter(o -> !o.equals("rw") && !o.equals("ro") && !o.contains("=") || o.startsWith("name=")).toList();
                mounts.add(new Hierarchy(Path.of(Host.unescape(fields.get(4))), Host.unescape(fields.get(3)), type.equals("cgroup2"),
                        controllers, readOnly));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Cgroupfs(mounts);
    }

    /** Whether the controllers live in v1 hierarchies (a v1 or hybrid host), else in the v2 one. */
    boolean v1Controllers() {
        return mounts.stream().anyMatch(m -> !m.v2() && m.controllers().stream().anyMatch(c -> !c.startsWith("name=")));
    }

    /** The hierarchy holding this controller on this host (the v1 one, else the v2 tree), mounted whole and writable. */
    Optional<Hierarchy> holding(String controller) {
        Optional<Hierarchy> v1 = mounts.stream().filter(m -> !m.v2() && m.controllers().contains(controller)).findFirst();
        Optional<Hierarchy> found = v1Controllers() ? v1 : mounts.stream().filter(Hierarchy::v2)
                .filter(m -> controllersOf(m).contains(controller)).findFirst();
        return found.filter(m -> m.root().equals("/") && !m.readOnly());
    }

    /** The cgroup path process pid is in, in this hierarchy, from /proc/PID/cgroup. */
    static Optional<String> pathOf(long pid, Hierarchy hierarchy) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "cgroup"))) {
                String[] fields = line.split(":", 3);
                boolean v2 = fields[0].equals("0") && fields[1].isEmpty();
                // A v1 line names its hierarchy by controllers the mount's options hold (besides flags such as xattr).
                if (hierarchy.v2() ? v2 : !v2 && !fields[1].isEmpty() && hierarchy.controllers().containsAll(List.of(fields[1].split(",")))) {
                    return Optional.of(fields[2]);
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static List<String> controllersOf(Hierarchy v2) {
        try {
            return List.of(Files.readString(v2.mountPoint().resolve("cgroup.controllers")).strip().split("\\s+"));
        } catch (IOException e) {
            return List.of();
        }
    }
}
