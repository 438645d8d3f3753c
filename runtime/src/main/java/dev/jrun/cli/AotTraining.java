package dev.jrun.cli;

import dev.jrun.cgroup.CgroupLayout;
import dev.jrun.cgroup.CgroupMover;
import dev.jrun.cgroup.Membership;
import dev.jrun.server.ServerTraining;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The training run the build records the AOT cache from (JDK 25 -XX:AOTCacheOutput): it runs the
 * commands people and tools run most, in this one JVM, so that their classes are loaded and
 * linked ahead of time. Output is discarded. Usage: AotTraining REPO_DIR
 */
public final class AotTraining {
    private static final int ROUNDS = 3;

    private AotTraining() {}

    public static void main(String[] args) throws IOException {
        Path repo = Path.of(args.length > 0 ? args[0] : ".");
        List<String> specs = specFiles(repo.resolve("specs"));
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
        // The lifecycle verbs on an empty state root: their classes and error paths, no container
        // (the build must not need root). state, start, kill, pause, resume, ps, update, events and delete in the forms tools call them,
        // through picocli as every command goes (its classes get in too: the build rewrites them from
        // class file version 49, which the cache refuses, to 52).
        Path stateRoot = Files.createTempDirectory("jrun-aot-training");
        String root = stateRoot.toString();
        Path errorLog = Files.createTempFile("jrun-aot-training", ".log");
        for (int round = 0; round < ROUNDS; round++) {
            Main.run(new String[] {"--root", root, "list"}, sink, sink);
            Main.run(new String[] {"--root", root, "list", "--format", "json"}, sink, sink);
            Main.run(new String[] {"--root", root, "state", "training"}, sink, sink);
            Main.run(new String[] {"--root=" + root, "--log", errorLog.toString(), "--log-format", "json", "start", "training"}, sink, sink);
            Main.run(new String[] {"--root", root, "kill", "training"}, sink, sink);
            Main.run(new String[] {"--root", root, "kill", "--all", "training", "9"}, sink, sink);
            Main.run(new String[] {"--root", root, "pause", "training"}, sink, sink);
            Main.run(new String[] {"--root", root, "resume", "training"}, sink, sink);
            Main.run(new String[] {"--root", root, "ps", "--format", "json", "training"}, sink, sink);
            Main.run(new String[] {"--root", root, "update", "--memory", "512m", "--pids-limit", "64", "training"}, sink, sink);
            Main.run(new String[] {"--root", root, "events", "--stats", "training"}, sink, sink);
            Main.run(new String[] {"--root", root, "delete", "training"}, sink, sink);
            Main.run(new String[] {"--root", root, "delete", "--force", "training"}, sink, sink);
            Main.run(new String[] {"--root", root, "create", "--bundle", root, "training"}, sink, sink);
        }
        // `jrun server` as the client starts it, read by picocli into its command (whose options the training run alone
        // never reads otherwise); the negative idle timeout makes it stop there, before it binds or moves anything.
        Main.run(new String[] {"server", "--dir", stateRoot.resolve("no-server").toString(), "--ready-fd", "3", "--idle-timeout", "-1"}, sink, sink);
        // The server's move out of its caller's cgroups, dry: with no hierarchy mounted nothing is written, but the mover's
        // classes load from the cache on the thread that runs beside the first request.
        try {
            CgroupLayout.readOwn();
            CgroupMover.move(ProcessHandle.current().pid(), ServerCommand.CGROUP, new CgroupLayout(List.of()),
                    Membership.of(ProcessHandle.current().pid())).lines();
        } catch (IOException e) {
            System.err.println("AotTraining: cannot read this process's cgroups, the mover's classes stay out of the cache: " + e);
        }
        // The same verbs once more through a real server, as the client sends them (its first request after an idle
        // exit is the one a caller waits for).
        Path serverDir = Files.createTempDirectory("jrun-aot-server");
        try {
            List<List<String>> requests = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                requests.add(List.of("--root", root, "list"));
                requests.add(List.of("--root", root, "state", "training"));
                requests.add(List.of("--root", root, "start", "training"));
                requests.add(List.of("--root", root, "kill", "training", "KILL"));
                requests.add(List.of("--root", root, "pause", "training"));
                requests.add(List.of("--root", root, "resume", "training"));
                requests.add(List.of("--root", root, "ps", "--format", "json", "training"));
                requests.add(List.of("--root", root, "delete", "--force", "training"));
                requests.add(List.of("--version"));
            }
            ServerTraining.run(serverDir, Main::run, requests);
        } catch (Exception | LinkageError e) {
            System.err.println("AotTraining: the server's part did not run, its classes stay out of the cache: " + e);
        } finally {
            try (Stream<Path> left = Files.list(serverDir)) {
                for (Path file : left.toList()) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(serverDir);
        }
        Files.deleteIfExists(errorLog);
        Files.deleteIfExists(stateRoot);
        // The foreign-function plumbing behind rtnetlink and pidfd signals costs ~60 ms the first time a JVM
        // uses it; a lookup of lo and a signal 0 to ourselves need no privileges and link it ahead of time.
        try (var netlink = dev.jrun.netlink.Rtnetlink.open()) {
            netlink.findLink("lo");
        } catch (Exception | LinkageError e) {
            System.err.println("AotTraining: netlink unavailable, its classes stay out of the cache: " + e);
        }
        try {
            new dev.jrun.sys.LinuxProcessTable().process(ProcessHandle.current().pid()).orElseThrow().signal(0);
        } catch (Exception e) {
            System.err.println("AotTraining: pidfd signals unavailable: " + e);
        }
        for (int round = 0; round < ROUNDS; round++) {
            Main.run(new String[] {"--version"}, sink, sink);
            Main.run(new String[] {"features"}, sink, sink);
            Main.run(new String[] {"--help"}, sink, sink);
            Main.run(new String[] {"spec", "--output", "-"}, sink, sink);
            Main.run(new String[] {"spec", "--rootless", "--format", "yaml", "--output", "-"}, sink, sink);
            Main.run(new String[] {"no-such-command"}, sink, sink);
            for (String format : List.of("text", "json")) {
                List<String> validate = new ArrayList<>(List.of("validate", "--format", format));
                validate.addAll(specs);
                Main.run(validate.toArray(String[]::new), sink, sink);
            }
        }
    }

    /** Valid and invalid examples alike: the error paths must be fast too. */
    private static List<String> specFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> f.toString().matches(".*\\.(ya?ml|json)$"))
                    .map(Path::toString)
                    .sorted()
                    .toList();
        }
    }
}
