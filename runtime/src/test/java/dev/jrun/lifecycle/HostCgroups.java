package dev.jrun.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jrun.cgroup.CgroupLayout;
import dev.jrun.cgroup.CgroupMount;
import dev.jrun.cgroup.Membership;
import dev.jrun.sys.ProcFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * The host's cgroup hierarchies as the container tests see them, and the cgroups one test makes or expects jrun to
 * make: registered by exact path (below names no other test uses), and removed after it with rmdir, deepest first.
 * Nothing else on the host is touched.
 */
final class HostCgroups {
    static final Duration LONG = Duration.ofSeconds(30);

    private final List<String> toRemove = new ArrayList<>();
    private final List<String> toRemoveIfEmpty = new ArrayList<>();

    /** Skips the test where the cgroup file systems cannot hold it (none mounted, or read-only as in docker). */
    static void assumeWritable() {
        CgroupLayout layout = CgroupLayout.readOwn();
        assumeTrue(layout.kind() != CgroupLayout.Kind.NONE, "no cgroup file system is mounted");
        assumeTrue(layout.mounts().stream().noneMatch(CgroupMount::readOnly), "a cgroup file system is mounted read-only here");
    }

    /** A name no other test or cgroup on the host uses. */
    static String unique(String prefix) {
        return prefix + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }

    /** Every hierarchy mounted here, each by its mount point (all show their whole hierarchy on this host). */
    static List<CgroupMount> mounts() {
        return CgroupLayout.readOwn().mounts();
    }

    /** The directory of cgroup path (absolute in the hierarchy, "/a/b") in every hierarchy. */
    static List<Path> directories(String path) {
        return mounts().stream().map(m -> m.mountPoint().resolve(path.substring(1))).toList();
    }

    /** The mount point of the v1 hierarchy holding this controller, if there is one. */
    static Optional<Path> v1(String controller) {
        return mounts().stream().filter(m -> m instanceof CgroupMount.V1 v1 && v1.options().contains(controller))
                .map(CgroupMount::mountPoint).findFirst();
    }

    /** The cgroup v2 tree's mount point, if mounted. */
    static Optional<Path> unified() {
        return mounts().stream().filter(m -> m instanceof CgroupMount.Unified).map(CgroupMount::mountPoint).findFirst();
    }

    /** Hierarchy ("memory", "name=systemd", "unified") → the path /proc/PID/cgroup gives for it. */
    static Map<String, String> of(long pid) throws IOException {
        Map<String, String> paths = new LinkedHashMap<>();
        Membership.of(pid).forEach(m -> paths.put(m.hierarchy(), m.path()));
        return paths;
    }

    static boolean existsAnywhere(String path) {
        return directories(path).stream().anyMatch(Files::isDirectory);
    }

    static boolean existsEverywhere(String path) {
        return directories(path).stream().allMatch(Files::isDirectory);
    }

    static String read(Path file) throws IOException {
        return ProcFiles.read(file).strip();
    }

    /**
     * Makes path in every hierarchy, as an administrator's mkdir would, and removes it after the test. The caller
     * makes parents first.
     */
    void make(String path) throws IOException {
        removeAfter(path);
        for (Path directory : directories(path)) {
            Files.createDirectory(directory);
        }
    }

    /** Removes path from every hierarchy after the test, in the reverse order of registration (so children first). */
    void removeAfter(String... paths) {
        toRemove.addAll(List.of(paths));
    }

    /** A shared parent (a systemd slice jrun may make): removed after the test only if it was not there before and is empty. */
    void removeAfterIfMadeAndEmpty(String path) {
        if (!existsAnywhere(path)) {
            toRemoveIfEmpty.add(path);
        }
    }

    /** Removes what was registered, deepest first; a process that has just exited may hold a cgroup a moment longer. */
    void removeAll() {
        for (String path : toRemove.reversed()) {
            for (Path directory : directories(path)) {
                await().pollDelay(Duration.ZERO).atMost(LONG).ignoreExceptionsInstanceOf(FileSystemException.class).until(() -> {
                    Files.deleteIfExists(directory);
                    return true;
                });
            }
        }
        for (String path : toRemoveIfEmpty) {
            for (Path directory : directories(path)) {
                try {
                    Files.deleteIfExists(directory);
                } catch (IOException e) {
                    // another's cgroup is in it now: it is theirs to remove
                }
            }
        }
        toRemove.clear();
        toRemoveIfEmpty.clear();
    }

    /**
     * The live processes whose environment names this state root: a container's helper and init get their socket in
     * it (JRUN_INIT_SOCK=ROOT/ID/init.sock), so this finds what a create left behind, in server mode too.
     */
    static List<Long> processesOf(Path stateRoot) throws IOException {
        byte[] needle = ("JRUN_INIT_SOCK=" + stateRoot + "/").getBytes(StandardCharsets.UTF_8);
        List<Long> found = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            for (Path dir : entries.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    if (contains(Files.readAllBytes(dir.resolve("environ")), needle) && LifecycleIT.isAlive(Long.parseLong(dir.getFileName().toString()))) {
                        found.add(Long.parseLong(dir.getFileName().toString()));
                    }
                } catch (IOException e) {
                    // gone meanwhile, or a kernel thread
                }
            }
        }
        return found;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
