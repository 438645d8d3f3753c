package dev.jrun.conformance;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * runc's {@code exec}, which the OCI runtime spec leaves out and podman ({@code podman exec}) and containerd's shim
 * ({@code ctr task exec}) call: a new process in a created or running container, in every namespace of the container
 * and in its cgroups, in runc's two forms, {@code exec [OPTIONS] ID CMD ARGS...} (the container's own process with
 * the options' changes) and {@code exec --process FILE ID} (an OCI process, JSON). In the foreground the runtime
 * relays the process's stdio (here: files, inherited), forwards the signals it gets, and exits with the process's
 * status, 128+N when signal N killed it; with {@code --detach} it returns once the process runs.
 *
 * <p>This class has the foreground exec; {@link ExecDetachedTest} has {@code --detach}, and {@link ExecSignalsTest}
 * the tests that signal the runtime or delete with an exec'd process in a sandbox (all three are one area of the
 * report). The container's init is {@code sleep} (a long one) unless the test says otherwise, so that the container
 * runs while the test execs into it; the suite's cleanup force-deletes it, which ends every exec'd process too
 * (they are in its pid namespace).
 */
@DisplayName("Exec (runc's command line)")
class ExecTest extends ExecTestSupport {
    @Test
    @DisplayName("exec ID CMD ARGS... in a running container: the process's stdout and stderr are the runtime's, the runtime "
            + "exits with the process's exit status, and the container stays running with its own process")
    void execRunsAProcessAndReturnsItsStatus() throws Exception {
        Container container = running(sleeper());
        long init = container.state().orElseThrow().pid();

        RuntimeUnderTest.Result exec = container.exec("sh", "-c", "echo to stdout; echo to stderr >&2; exit 4");
        assertEquals(4, exec.exitCode(), exec.toString());
        assertEquals("to stdout\n", exec.out(), exec.toString());
        assertTrue(exec.err().contains("to stderr\n"), "the process's stderr is the runtime's: " + exec);

        RuntimeUnderTest.Result success = container.exec("true");
        assertEquals(0, success.exitCode(), success.toString());

        State state = container.state().orElseThrow();
        assertEquals("running", state.status());
        assertEquals(init, state.pid(), "the container process is still the one create made");
    }

    @ParameterizedTest(name = " — SIG{0}")
    @CsvSource({"KILL, 9", "TERM, 15", "USR1, 10"})
    @DisplayName("exec: a process killed by signal N makes the runtime exit with 128+N, as a shell reports it")
    void execOfAProcessKilledByASignal(String signal, int number) throws Exception {
        Container container = running(sleeper());
        RuntimeUnderTest.Result exec = container.exec("sh", "-c", "kill -" + signal + " $$; echo the signal did not end the shell");
        assertEquals(128 + number, exec.exitCode(), exec.toString());
        assertEquals("", exec.out(), exec.toString());
        assertEquals("running", container.status());
    }

    @Test
    @DisplayName("exec: the process is in every namespace of the container's process (pid, mount, uts, network, ipc, "
            + "and the user and cgroup namespaces it shares with the host) and in its cgroups, as the process sees itself")
    void execJoinsTheContainersNamespacesAndCgroups() throws Exception {
        assumeNamespaces();
        Container container = running(sleeper().namespaces("uts", "ipc", "network"));
        long init = container.state().orElseThrow().pid();
        List<String> types = List.of("cgroup", "ipc", "mnt", "net", "pid", "user", "uts");

        RuntimeUnderTest.Result exec = container.exec("sh", "-c",
                "for type in " + String.join(" ", types) + "; do readlink /proc/self/ns/$type; done; echo --; cat /proc/self/cgroup");
        assertSucceeded(exec);
        List<String> lines = exec.out().lines().toList();
        int separator = lines.indexOf("--");
        assertTrue(separator >= 0, exec.out());
        List<String> expected = types.stream().map(type -> Host.namespace(init, type)).toList();
        assertEquals(expected, lines.subList(0, separator), "the exec'd process's namespaces (" + types + ") and the init's");
        assertContainersOwn(init);
        assertEquals(Host.cgroups(init), lines.subList(separator + 1, lines.size()), "the exec'd process's /proc/self/cgroup and the init's");
    }

    @Test
    @DisplayName("exec into a container with a cgroup namespace of its own: the process is in it, and its cgroup in every "
            + "hierarchy is the namespace's root (/)")
    void execIntoACgroupNamespace() throws Exception {
        assumeNamespace("cgroup");
        Container container = running(sleeper().namespaces("cgroup"));
        long init = container.state().orElseThrow().pid();

        RuntimeUnderTest.Result exec = container.exec("sh", "-c", "readlink /proc/self/ns/cgroup; cat /proc/self/cgroup");
        assertSucceeded(exec);
        List<String> lines = exec.out().lines().toList();
        assertEquals(Host.namespace(init, "cgroup"), lines.getFirst(), "the exec'd process's cgroup namespace and the init's");
        assertNotEquals(Host.ownNamespace("cgroup"), lines.getFirst(), "the host's cgroup namespace");
        assertTrue(lines.size() > 1 && lines.subList(1, lines.size()).stream().allMatch(l -> l.endsWith(":/")),
                "every hierarchy is / inside: " + exec.out());
    }

    @Test
    @DisplayName("exec into a container with a time namespace (timeOffsets.boottime +1 day): the process is in it and has "
            + "its clocks")
    void execIntoATimeNamespace() throws Exception {
        assumeNamespace("time");
        Container container = running(sleeper().namespaces("time")
                .edit(c -> c.withObjectProperty("linux").putObject("timeOffsets").putObject("boottime").put("secs", 86400).put("nanosecs", 0)));
        long init = container.state().orElseThrow().pid();
        double hostUptime = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);

        RuntimeUnderTest.Result exec = container.exec("sh", "-c", "readlink /proc/self/ns/time; cut -d' ' -f1 /proc/uptime");
        assertSucceeded(exec);
        List<String> lines = exec.out().lines().toList();
        assertEquals(Host.namespace(init, "time"), lines.getFirst(), "the exec'd process's time namespace and the init's");
        double inside = Double.parseDouble(lines.get(1));
        assertTrue(inside > hostUptime + 86000, "uptime of the exec'd process " + inside + " is not a day ahead of the host's " + hostUptime);
    }

    @Test
    @DisplayName("exec into a created container (runc allows it): the process runs in its namespaces and returns its status; "
            + "the container stays created, and start then runs its own process")
    void execIntoACreatedContainer() throws Exception {
        Container container = container(bundle(config().sh("echo the container process ran")));
        long init = container.created().pid();

        RuntimeUnderTest.Result exec = container.exec("sh", "-c", "readlink /proc/self/ns/pid; readlink /proc/self/ns/mnt; exit 3");
        assertEquals(3, exec.exitCode(), exec.toString());
        assertEquals(List.of(Host.namespace(init, "pid"), Host.namespace(init, "mnt")), exec.out().lines().toList(),
                "the exec'd process's pid and mount namespaces and the init's");
        State state = container.state().orElseThrow();
        assertEquals("created", state.status(), "after an exec");
        assertEquals(init, state.pid());
        assertEquals("", container.stdout(), "the container's own process ran before start");

        assertSucceeded(container.start());
        container.awaitStatus("stopped");
        assertEquals("the container process ran\n", container.stdout());
    }

    @Test
    @DisplayName("exec into a stopped container fails (a non-zero exit, foreground and --detach), writes no pid file and "
            + "leaves no process")
    void execIntoAStoppedContainerFails() throws Exception {
        Container container = running(config().args("true"));
        container.awaitStatus("stopped");
        Set<String> namespacesBefore = Host.pidNamespacesOfDescendants();
        List<String> command = uniqueSleep();
        Path pidFile = work.resolve("exec.pid");

        assertFailed(container.exec(command.toArray(String[]::new)));
        assertFailed(container.exec(List.of("--detach", "--pid-file", pidFile.toString()), command.toArray(String[]::new)));
        assertFalse(Files.exists(pidFile), "a failed exec wrote its pid file");
        assertEquals(List.of(), Host.processesRunning(command), "processes running " + command + " after the failed execs");
        assertEquals(Set.of(), Host.newPidNamespacesSince(namespacesBefore), "the failed execs left processes in new pid namespaces");
        assertEquals("stopped", container.status());
    }

    @Test
    @DisplayName("exec into a paused container fails (a non-zero exit) and leaves no process; after resume, exec works")
    void execIntoAPausedContainerFails() throws Exception {
        RuntimeUnderTest.Result help = cli.run("pause", "--help");
        assumeTrue(help.succeeded(), "the runtime has no pause command: " + help);
        Container container = running(sleeper());
        long init = container.state().orElseThrow().pid();
        assertSucceeded(container.pause());

        assertFailed(container.exec(uniqueSleep().toArray(String[]::new)));
        assertEquals(List.of(init), Host.processesIn(Host.namespace(init, "pid")), "the container's processes after the failed exec");
        assertEquals("paused", container.status());
        assertSucceeded(container.resume());
        assertSucceeded(container.exec("true"));
    }

    @Test
    @DisplayName("exec of an id that no container has fails, creates no container and runs nothing")
    void execOfAMissingContainerFails() throws Exception {
        String id = freshId();
        List<String> command = uniqueSleep();
        List<String> args = new ArrayList<>(List.of("exec", id));
        args.addAll(command);

        assertFailed(cli.run(args.toArray(String[]::new)));
        assertFailed(cli.run("state", id));
        assertEquals(List.of(), Container.Footprint.entries(cli.root()), "the runtime's --root has entries");
        assertEquals(List.of(), Host.processesRunning(command), "processes running " + command + " after the failed exec");
    }

    @Test
    @DisplayName("exec --process FILE ID: the process is the file's (args, env, cwd, user), without the container "
            + "process's env, and the runtime exits with its status")
    void execOfAProcessFile() throws Exception {
        Container container = running(sleeper().env("FROM_SPEC=container"));
        ObjectNode process = JSON.createObjectNode().put("terminal", false).put("cwd", "/tmp");
        process.putObject("user").put("uid", 1234).put("gid", 567);
        process.putArray("args").add("sh").add("-c")
                .add("id -u; id -g; pwd; echo \"VAR=$VAR FROM_SPEC=$FROM_SPEC\"; for arg; do echo \"[$arg]\"; done; exit 5")
                .add("sh").add("one arg").add("two");
        process.putArray("env").add("PATH=/bin:/usr/bin").add("VAR=from the file");
        Path file = work.resolve("process.json");
        JSON.writeValue(file.toFile(), process);

        RuntimeUnderTest.Result exec = cli.run("exec", "--process", file.toString(), container.id());
        assertEquals(5, exec.exitCode(), exec.toString());
        assertEquals(List.of("1234", "567", "/tmp", "VAR=from the file FROM_SPEC=", "[one arg]", "[two]"), exec.out().lines().toList(),
                exec.toString());
    }

    @Test
    @DisplayName("exec --env, --cwd, --user UID:GID, --additional-gids: the container process's settings with these "
            + "changes; its env is inherited, and --env replaces a variable of it")
    void execOptionsChangeTheContainersProcess() throws Exception {
        Container container = running(sleeper().env("FROM_SPEC=container", "REPLACED=container"));
        RuntimeUnderTest.Result exec = container.exec(
                List.of("--env", "REPLACED=exec", "--env", "ADDED=exec", "--cwd", "/tmp", "--user", "1000:1001", "--additional-gids", "2000"),
                "sh", "-c", "echo \"$FROM_SPEC $REPLACED $ADDED\"; pwd; id -u; id -g; id -G; env | grep -c '^REPLACED='");
        assertSucceeded(exec);
        assertEquals(List.of("container exec exec", "/tmp", "1000", "1001", "1001 2000", "1"), exec.out().lines().toList(), exec.toString());

        RuntimeUnderTest.Result plain = container.exec("sh", "-c", "echo \"$FROM_SPEC $REPLACED\"; pwd; id -u; id -g");
        assertSucceeded(plain);
        assertEquals(List.of("container container", "/", "0", "0"), plain.out().lines().toList(), "without options: " + plain);
    }

    @Test
    @DisplayName("exec --user UID (without a GID) keeps the container process's gid; --cap adds a capability to the "
            + "bounding, effective and permitted sets; --no-new-privs sets no_new_privs")
    void execUserCapAndNoNewPrivs() throws Exception {
        assumeTrue(features.capabilities(), "the runtime's features list no capabilities");
        Container container = running(sleeper().edit(c -> {
            ObjectNode process = c.withObjectProperty("process");
            process.putObject("user").put("uid", 0).put("gid", 1001);
            ObjectNode caps = process.putObject("capabilities");
            for (String set : List.of("bounding", "effective", "permitted")) {
                caps.putArray(set).add("CAP_CHOWN").add("CAP_KILL").add("CAP_SETGID").add("CAP_SETUID");
            }
        }));
        RuntimeUnderTest.Result user = container.exec(List.of("--user", "1000"), "sh", "-c", "id -u; id -g");
        assertSucceeded(user);
        assertEquals(List.of("1000", "1001"), user.out().lines().toList(), user.toString());

        RuntimeUnderTest.Result cap = container.exec(List.of("--cap", "CAP_NET_ADMIN", "--no-new-privs"), "sh", "-c",
                "grep -E '" + STATUS_FIELDS + "' /proc/self/status");
        assertSucceeded(cap);
        // CAP_CHOWN is bit 0, CAP_KILL bit 5, CAP_SETGID bit 6, CAP_SETUID bit 7, CAP_NET_ADMIN bit 12.
        String with = String.format("%016x", (1L << 0) | (1L << 5) | (1L << 6) | (1L << 7) | (1L << 12));
        assertEquals(List.of("CapInh: 0000000000000000", "CapPrm: " + with, "CapEff: " + with, "CapBnd: " + with,
                "CapAmb: 0000000000000000", "NoNewPrivs: 1"), cap.out().lines().map(ExecTestSupport::squeezed).toList(), cap.toString());
    }

    @Test
    @DisplayName("exec into a container with a user namespace (0 → 100000, size 65536): the process is in it, root inside, "
            + "with the init's uid and gid maps")
    void execIntoAUserNamespace() throws Exception {
        assumeNamespace("user");
        Container container = running(sleeper().userNamespace(100000, 65536));
        long init = container.state().orElseThrow().pid();

        RuntimeUnderTest.Result exec = container.exec("sh", "-c", "id -u; id -g; readlink /proc/self/ns/user; cat /proc/self/uid_map /proc/self/gid_map");
        assertSucceeded(exec);
        List<String> lines = exec.out().lines().map(ExecTestSupport::squeezed).toList();
        List<String> expected = new ArrayList<>(List.of("0", "0", Host.namespace(init, "user")));
        for (String map : List.of("uid_map", "gid_map")) {
            Files.readAllLines(Path.of("/proc", Long.toString(init), map)).stream().map(ExecTestSupport::squeezed).forEach(expected::add);
        }
        assertEquals(expected, lines, "id -u, id -g, the user namespace, the uid and gid maps: the exec'd process's and the init's");
        assertNotEquals(Host.ownNamespace("user"), Host.namespace(init, "user"), "the init is in the host's user namespace");
    }

    @Test
    @DisplayName("exec --preserve-fds 1: the caller's fd 3 reaches the process, fd 4 does not; without it, fd 3 does not either")
    void execPreservesTheCallersFds() throws Exception {
        Container container = running(sleeper());
        Path fd3 = work.resolve("fd3");
        Path fd4 = work.resolve("fd4");
        String probe = "echo to fd 3 >&3; { echo to fd 4 >&4; } 2>/dev/null || echo no fd 4";

        RuntimeUnderTest.Result preserved = runWithFds(fd3, fd4, List.of("exec", "--preserve-fds", "1", container.id(), "sh", "-c", probe));
        assertSucceeded(preserved);
        assertEquals("to fd 3\n", Files.readString(fd3), "fd 3 of the process: " + preserved);
        assertEquals("", Files.readString(fd4), "fd 4 reached the process: " + preserved);
        assertEquals("no fd 4\n", preserved.out(), preserved.toString());

        RuntimeUnderTest.Result unpreserved = runWithFds(fd3, fd4,
                List.of("exec", container.id(), "sh", "-c", "{ echo to fd 3 >&3; } 2>/dev/null || echo no fd 3"));
        assertSucceeded(unpreserved);
        assertEquals("", Files.readString(fd3), "fd 3 reached the process without --preserve-fds: " + unpreserved);
        assertEquals("no fd 3\n", unpreserved.out(), unpreserved.toString());
    }

    @Test
    @DisplayName("exec in the foreground: the runtime's stdin is the process's stdin")
    void execPassesItsStdinOn() throws Exception {
        Container container = running(sleeper());
        Path input = work.resolve("input");
        Files.writeString(input, "line one\nline two\n");
        RuntimeUnderTest.Result exec = runThroughShell("exec <" + quoted(input), List.of("exec", container.id(), "sh", "-c", "cat; echo end"));
        assertSucceeded(exec);
        assertEquals("line one\nline two\nend\n", exec.out(), exec.toString());
    }

    @Test
    @DisplayName("exec in the foreground returns the process's status as soon as the process exits, though a child it "
            + "started (its stdio elsewhere) still runs in the container")
    void execReturnsWhenItsProcessExits() throws Exception {
        Container container = running(sleeper());
        long init = container.state().orElseThrow().pid();
        List<String> child = uniqueSleep();

        // The child's stdio is not the exec's: runc relays a foreground process's stdio through pipes and returns only
        // once every writer has closed them (the runtime's files themselves reach the process in other runtimes).
        RuntimeUnderTest.Result exec = container.exec("sh", "-c", String.join(" ", child) + " </dev/null >/dev/null 2>&1 & exit 3");
        assertEquals(3, exec.exitCode(), exec.toString());
        // The shell may exit before its child has exec'd sleep: wait for the child's command line, not for its end.
        List<Long> left = await("the child " + child + " of the exec'd process to run").atMost(Container.TIMEOUT)
                .pollInterval(Duration.ofMillis(20)).until(() -> Host.processesRunning(child), pids -> pids.size() == 1);
        assertEquals(Host.namespace(init, "pid"), Host.namespace(left.getFirst(), "pid"), "the child's pid namespace and the init's");
        endAndReapIfAdopted(left.getFirst());
    }

    @Test
    @DisplayName("exec ID CMD ARGS...: the process has the container process's capabilities, rlimits and noNewPrivileges")
    void execKeepsTheContainersProcessSettings() throws Exception {
        assumeTrue(features.capabilities(), "the runtime's features list no capabilities");
        Container container = running(sleeper().edit(c -> {
            ObjectNode process = c.withObjectProperty("process");
            ObjectNode caps = process.putObject("capabilities");
            for (String set : List.of("bounding", "effective", "permitted")) {
                caps.putArray(set).add("CAP_CHOWN").add("CAP_KILL").add("CAP_NET_BIND_SERVICE");
            }
            process.putArray("rlimits").addObject().put("type", "RLIMIT_NOFILE").put("soft", 1000).put("hard", 2000);
            process.put("noNewPrivileges", true);
        }));
        long init = container.state().orElseThrow().pid();

        RuntimeUnderTest.Result exec = container.exec("sh", "-c", "grep -E '" + STATUS_FIELDS + "' /proc/self/status; ulimit -n; ulimit -Hn");
        assertSucceeded(exec);
        List<String> expected = new ArrayList<>(statusFields(init));
        assertTrue(expected.contains("NoNewPrivs: 1"), "the init's " + expected);
        expected.add("1000");
        expected.add("2000");
        assertEquals(expected, exec.out().lines().map(ExecTestSupport::squeezed).toList(),
                "capability sets and NoNewPrivs (the init's), ulimit -n and -Hn (the spec's)");
    }

    @Test
    @DisplayName("two execs into one container at once: both run, and each returns its own process's status")
    void overlappingExecs() throws Exception {
        Container container = running(sleeper().mount("/tmp", "tmpfs", "tmpfs", "size=1m"));
        Path out = work.resolve("first.out");
        Path err = work.resolve("first.err");
        Process first = cli.start(out, err, List.of("exec", container.id(), "sh", "-c",
                "echo waiting; while [ ! -e /tmp/go ]; do sleep 0.05; done; echo first; exit 11"));
        try {
            await("the first exec'd process to run").atMost(Container.TIMEOUT).pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        assertTrue(first.isAlive(), "the first exec ended: " + Files.readString(err));
                        return Files.readString(out).equals("waiting\n");
                    });
            RuntimeUnderTest.Result second = container.exec("sh", "-c", "touch /tmp/go; echo second; exit 12");
            assertEquals(12, second.exitCode(), second.toString());
            assertEquals("second\n", second.out(), second.toString());
            assertTrue(first.waitFor(Container.TIMEOUT.toSeconds(), TimeUnit.SECONDS), "the first exec did not end");
            assertEquals(11, first.exitValue(), Files.readString(err));
            assertEquals("waiting\nfirst\n", Files.readString(out));
        } finally {
            if (first.isAlive()) {
                first.destroyForcibly();
            }
        }
    }

    @ParameterizedTest(name = " — {0}")
    @CsvSource(delimiter = '|', value = {
        "a program that does not exist | '' | no-such-program",
        "a --cwd that does not exist | --cwd /no/such/directory | true"})
    @DisplayName("exec of a process that cannot start fails (a non-zero exit) and leaves no process in the container")
    void execThatCannotStartFails(String what, String options, String program) throws Exception {
        Container container = running(sleeper());
        long init = container.state().orElseThrow().pid();
        List<String> optionList = options.isBlank() ? List.of() : List.of(options.split(" "));

        assertFailed(container.exec(optionList, program));
        assertEquals(List.of(init), Host.processesIn(Host.namespace(init, "pid")), "the container's processes after the failed exec");
        assertEquals("running", container.status());
    }
}
