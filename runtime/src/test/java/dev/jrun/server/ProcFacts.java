package dev.jrun.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the server tests read about a process from /proc: its parent, session, descriptors, children and command
 * line. Each method answers empty (or an empty list) for a process that is gone, since tests ask about processes
 * that may end at any moment.
 */
public final class ProcFacts {
    /** Fields of /proc/PID/stat, as proc(5) numbers them. */
    static final int PROCESS_GROUP = 5;
    static final int SESSION = 6;
    static final int CONTROLLING_TTY = 7;
    static final int START_TIME = 22;
    static final int POLICY = 41;

    private ProcFacts() {}

    /** PPid from /proc/PID/status. */
    static OptionalLong parentOf(long pid) {
        try {
            Optional<String> line = Files.readAllLines(proc(pid, "status")).stream().filter(l -> l.startsWith("PPid:")).findFirst();
            return line.map(l -> OptionalLong.of(Long.parseLong(l.substring(5).trim()))).orElse(OptionalLong.empty());
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    /** Parent, grandparent, … up to pid 1 (the first ancestor that has no parent of its own in this pid namespace). */
    static List<Long> ancestorsOf(long pid) {
        List<Long> ancestors = new ArrayList<>();
        for (OptionalLong parent = parentOf(pid); parent.isPresent() && parent.getAsLong() > 0; parent = parentOf(parent.getAsLong())) {
            ancestors.add(parent.getAsLong());
        }
        return ancestors;
    }

    /** A numeric field of /proc/PID/stat (4 and up: the state, field 3, is a letter), numbered as proc(5) numbers them. */
    static OptionalLong statField(long pid, int field) {
        try {
            String stat = Files.readString(proc(pid, "stat"));
            // the command name (field 2) may hold spaces and parentheses: the fields after it start past the last ')'
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            return OptionalLong.of(Long.parseLong(fields[field - 3]));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** The scheduling policy (0 SCHED_OTHER, 5 SCHED_IDLE, …) of each thread of pid, from /proc/PID/task/TID/stat. */
    public static List<Long> threadPolicies(long pid) throws IOException {
        List<Long> policies = new ArrayList<>();
        try (var tasks = Files.list(proc(pid, "task"))) {
            for (Path task : tasks.toList()) {
                // /proc/TID/stat: a thread's own, reachable by its id though /proc does not list it
                statField(Long.parseLong(task.getFileName().toString()), POLICY).ifPresent(policies::add);
            }
        }
        return policies;
    }

    /** A signal set of /proc/PID/status (SigIgn, SigBlk, SigCgt): bit N-1 is signal N. */
    static OptionalLong signalSet(long pid, String name) {
        try {
            Optional<String> line = Files.readAllLines(proc(pid, "status")).stream().filter(l -> l.startsWith(name + ":")).findFirst();
            return line.map(l -> OptionalLong.of(Long.parseUnsignedLong(l.substring(name.length() + 1).trim(), 16))).orElse(OptionalLong.empty());
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    /** Every process in this pid namespace whose session is sid. */
    static List<Long> sessionMembers(long sid) throws IOException {
        List<Long> members = new ArrayList<>();
        try (DirectoryStream<Path> all = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("[0-9]+"))) {
            for (Path p : all) {
                long pid = Long.parseLong(p.getFileName().toString());
                if (statField(pid, SESSION).orElse(-1) == sid) {
                    members.add(pid);
                }
            }
        }
        return members;
    }

    /** Where each of its descriptors points (readlink /proc/PID/fd/N), by number. */
    static List<String> descriptors(long pid) throws IOException {
        List<String> targets = new ArrayList<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc(pid, "fd"))) {
            for (Path fd : fds) {
                try {
                    targets.add(fd.getFileName() + " -> " + Files.readSymbolicLink(fd));
                } catch (IOException closedMeanwhile) {
                    // a descriptor the process closed while we listed them
                }
            }
        }
        return targets;
    }

    /** Where one of its links points: "cwd", "exe", "fd/0" … (readlink /proc/PID/NAME). */
    static Optional<Path> link(long pid, String name) {
        try {
            return Optional.of(Files.readSymbolicLink(proc(pid, name)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Its children, from /proc/PID/task/TID/children of each thread. */
    static List<Long> childrenOf(long pid) throws IOException {
        List<Long> children = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(proc(pid, "task"))) {
            for (Path task : tasks) {
                String text = Files.readString(task.resolve("children")).trim();
                if (!text.isEmpty()) {
                    Arrays.stream(text.split(" ")).map(Long::parseLong).forEach(children::add);
                }
            }
        }
        return children;
    }

    /** Its argv (/proc/PID/cmdline), empty when it is gone. */
    static List<String> commandLine(long pid) {
        try {
            String text = new String(Files.readAllBytes(proc(pid, "cmdline")), StandardCharsets.UTF_8);
            return text.isEmpty() ? List.of() : List.of(text.split("\0"));
        } catch (IOException e) {
            return List.of();
        }
    }

    private static Path proc(long pid, String file) {
        return Path.of("/proc", Long.toString(pid), file);
    }
}
