package dev.jrun.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** What the host sees, read from /proc: processes, their namespaces, and mounts. */
final class Host {
    private Host() {}

    /** The link text of a process's namespace ("pid:[4026532300]"), or null when the process is gone. */
    static String namespace(long pid, String type) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", type)).toString();
        } catch (IOException e) {
            return null;
        }
    }

    /** The test JVM's own namespace of this type, i.e. the host's. */
    static String ownNamespace(String type) {
        return namespace(ProcessHandle.current().pid(), type);
    }

    /** Alive means running or sleeping: a zombie has exited and only waits to be reaped. */
    static boolean isAlive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }

    /** The live processes whose pid namespace is this one. */
    static List<Long> processesIn(String pidNamespace) {
        List<Long> found = new ArrayList<>();
        for (long pid : pids()) {
            if (pidNamespace.equals(namespace(pid, "pid")) && isAlive(pid)) {
                found.add(pid);
            }
        }
        return found;
    }

    /** The pid namespaces that have a live process now. */
    static Set<String> pidNamespaces() {
        Set<String> found = new HashSet<>();
        for (long pid : pids()) {
            String ns = namespace(pid, "pid");
            if (ns != null && isAlive(pid)) {
                found.add(ns);
            }
        }
        return found;
    }

    /**
     * Pid namespaces with a live process now that had none at {@code before}: what a container
     * left behind. (The suite assumes no other tool creates containers on the host while it runs.)
     */
    static Set<String> newPidNamespacesSince(Set<String> before) {
        Set<String> now = pidNamespaces();
        now.removeAll(before);
        return now;
    }

    /** Mount points in the host's mount table (this JVM's /proc/self/mountinfo) at or below dir. */
    static List<String> mountPointsUnder(Path dir) {
        String prefix = dir.toAbsolutePath().normalize().toString();
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/mountinfo"))) {
            return lines.map(line -> unescape(line.split(" ")[4]))
                    .filter(mountPoint -> mountPoint.equals(prefix) || mountPoint.startsWith(prefix + "/"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** mountinfo escapes space, tab, newline and backslash as \ooo. */
    static String unescape(String field) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static List<Long> pids() {
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            return entries.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d+")).map(Long::parseLong).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
