package dev.jrun.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
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

    /**
     * Every namespace of a process by its type, as the entries of /proc/PID/ns name them ("pid",
     * "pid_for_children", "mnt", ...); empty when the process is gone.
     */
    static Map<String, String> namespaces(long pid) {
        Map<String, String> found = new TreeMap<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc", Long.toString(pid), "ns"))) {
            entries.forEach(entry -> {
                String link = namespace(pid, entry.getFileName().toString());
                if (link != null) {
                    found.put(entry.getFileName().toString(), link);
                }
            });
        } catch (IOException e) {
            return Map.of();
        }
        return found;
    }

    /** The lines of /proc/PID/cgroup: the process's cgroup in each hierarchy; empty when it is gone. */
    static List<String> cgroups(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "cgroup"));
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The parent's pid (PPid in /proc/PID/status), as the host sees it; empty when the process is gone. */
    static Optional<Long> parent(long pid) {
        try (Stream<String> lines = Files.lines(Path.of("/proc", Long.toString(pid), "status"))) {
            return lines.filter(line -> line.startsWith("PPid:")).findFirst()
                    .map(line -> Long.parseLong(line.substring("PPid:".length()).strip()));
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    /** The live processes of the host whose command line (/proc/PID/cmdline) is exactly this one. */
    static List<Long> processesRunning(List<String> commandLine) {
        String wanted = String.join("\0", commandLine) + "\0";
        List<Long> found = new ArrayList<>();
        for (long pid : pids()) {
            try {
                if (Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).equals(wanted) && isAlive(pid)) {
                    found.add(pid);
                }
            } catch (IOException e) {
                // gone meanwhile
            }
        }
        return found;
    }

    /** The test JVM's own namespace of this type, i.e. the host's. */
    static String ownNamespace(String type) {
        return namespace(ProcessHandle.current().pid(), type);
    }

    /** Alive means running or sleeping: a zombie has exited and only waits to be reaped. */
    static boolean isAlive(long pid) {
        return state(Path.of("/proc", Long.toString(pid))).filter(state -> state != 'Z' && state != 'X').isPresent();
    }

    /**
     * Whether the process is in an interruptible sleep (state S). A process asleep has received no
     * fatal signal since it was last seen asleep: the kernel wakes every thread of a process it sends a
     * fatal signal to (SIGKILL, or a signal whose action is the default one, termination), and that
     * process never sleeps again. So a process seen asleep before a command and again after it was not
     * sent such a signal by the command, which needs no waiting for a signal that might still arrive.
     * (Only the thread group leader's state is read: for a process of one thread, such as sleep or a
     * shell waiting for its child.)
     */
    static boolean sleeps(long pid) {
        return state(Path.of("/proc", Long.toString(pid))).filter(state -> state == 'S').isPresent();
    }

    /** The state letter (R, S, D, Z, ...) in the stat of the process whose /proc directory this is; empty when it is gone. */
    static Optional<Character> state(Path processDir) {
        try {
            String stat = Files.readString(processDir.resolve("stat"));
            return Optional.of(stat.charAt(stat.lastIndexOf(')') + 2));
        } catch (IOException e) {
            return Optional.empty();
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

    /** The processes whose pid namespace is this one, zombies (exited, not yet reaped) included. */
    static List<Long> processesOrZombiesIn(String pidNamespace) {
        List<Long> found = new ArrayList<>();
        for (long pid : pids()) {
            if (pidNamespace.equals(namespace(pid, "pid"))) {
                found.add(pid);
            }
        }
        return found;
    }

    /**
     * Makes this JVM the reaper of every orphan below it (prctl PR_SET_CHILD_SUBREAPER), as
     * containerd's shim and podman's conmon are for the runtimes they call. A container's init,
     * which the runtime leaves behind when its {@code create} exits, then stays a descendant of the
     * test JVM, so the suite can tell the processes of its own containers from any others on the
     * host. (The JVM waits only for the processes it started; orphans that exit stay zombies until
     * it exits, which the checks count as gone.)
     */
    static synchronized void becomeSubreaper() {
        if (subreaper) {
            return;
        }
        Linker linker = Linker.nativeLinker();
        MethodHandle prctl = linker.downcallHandle(linker.defaultLookup().find("prctl").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                        ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
                Linker.Option.firstVariadicArg(1));
        try {
            int result = (int) prctl.invokeExact(PR_SET_CHILD_SUBREAPER, 1L, 0L, 0L, 0L);
            if (result != 0) {
                throw new IllegalStateException("prctl(PR_SET_CHILD_SUBREAPER) failed");
            }
        } catch (Throwable e) {
            throw new IllegalStateException("cannot become a child subreaper", e);
        }
        subreaper = true;
    }

    /**
     * Waits for this child of the JVM to exit and reaps it (waitpid): a process the JVM adopted as the subreaper, as
     * conmon or containerd's shim reaps what it adopts. Until then it stays a zombie, which a runtime's delete may
     * wait for (a zombie is still a member of its cgroup).
     */
    static void reap(long pid) {
        Linker linker = Linker.nativeLinker();
        MethodHandle waitpid = linker.downcallHandle(linker.defaultLookup().find("waitpid").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        try {
            int result = (int) waitpid.invokeExact((int) pid, MemorySegment.NULL, 0);
            if (result != pid) {
                throw new IllegalStateException("waitpid(" + pid + ") returned " + result + ": not a child of this JVM");
            }
        } catch (Throwable e) {
            throw new IllegalStateException("cannot reap process " + pid, e);
        }
    }

    private static final int PR_SET_CHILD_SUBREAPER = 36;
    private static boolean subreaper;

    /** The pid namespaces other than the host's in which a live descendant of this JVM is now. */
    static Set<String> pidNamespacesOfDescendants() {
        String host = ownNamespace("pid");
        Set<String> found = new HashSet<>();
        ProcessHandle.current().descendants().forEach(process -> {
            String ns = namespace(process.pid(), "pid");
            if (ns != null && !ns.equals(host) && isAlive(process.pid())) {
                found.add(ns);
            }
        });
        return found;
    }

    /** The live descendants of this JVM in pid namespaces other than the host's and those in {@code before}. */
    static List<ProcessHandle> descendantsInNewPidNamespaces(Set<String> before) {
        String host = ownNamespace("pid");
        return ProcessHandle.current().descendants().filter(process -> {
            String ns = namespace(process.pid(), "pid");
            return ns != null && !ns.equals(host) && !before.contains(ns) && isAlive(process.pid());
        }).toList();
    }

    /**
     * The pid namespaces in which a live descendant of this JVM is now that had none at
     * {@code before}: what a container of this test left behind (see {@link #becomeSubreaper}).
     */
    static Set<String> newPidNamespacesSince(Set<String> before) {
        Set<String> now = pidNamespacesOfDescendants();
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
