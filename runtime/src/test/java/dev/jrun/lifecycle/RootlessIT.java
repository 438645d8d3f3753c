package dev.jrun.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jrun.testing.Command;
import dev.jrun.testing.ServerStartLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * jrun run by a user other than root (docs/rootless.md): `spec --rootless` + `run`, a 65536-id map written by
 * newuidmap/newgidmap, state under $XDG_RUNTIME_DIR/jrun, and nothing left after delete; through the warm server and
 * one-shot. The test makes its user if missing ({@link RootlessUser}) and runs a copy of the build that user can reach
 * (a clone under /root would be out of its reach), with an XDG_RUNTIME_DIR of its own.
 */
class RootlessIT {
    private static final Duration LONG = Duration.ofSeconds(90);

    @TempDir
    static Path tmp;
    private static RootlessUser user;
    private static Path install;
    private static Path runtimeDir;
    private static Path bundle;
    private final List<String> created = new ArrayList<>();

    @BeforeAll
    static void setUp() throws Exception {
        user = RootlessUser.ensure();
        Bundles.searchable(tmp);
        user.requireReachable(Path.of(System.getProperty("java.home"), "bin", "java"));
        install = copyOfTheBuild(tmp.resolve("install"));
        runtimeDir = user.directory(tmp.resolve("xdg"), "rwx------");
        bundle = user.directory(tmp.resolve("bundle"), "rwxr-xr-x");
        Bundles.busyboxBundle(bundle);
        user.chown(bundle);
    }

    @AfterEach
    void deleteWhatThisTestCreated() throws Exception {
        for (String id : created) {
            jrun(Map.of(), "delete", "--force", id);
        }
    }

    /** The user's warm servers, each stopped by its exact pid once its command line proves it is the one in our directory. */
    @AfterAll
    static void stopTheServers() throws Exception {
        if (runtimeDir != null) {
            stopServersIn(runtimeDir.resolve("jrun-server"));
            stopServersIn(tmp.resolve("servers"));
        }
    }

    private static void stopServersIn(Path servers) throws Exception {
        if (!Files.isDirectory(servers)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(servers)) {
            for (Path dir : dirs.toList()) {
                ServerStartLock.awaitFree(dir, Duration.ofSeconds(60)); // one may be starting beside the last one-shot command
                Path pidFile = dir.resolve("jrun-server.pid");
                if (!Files.exists(pidFile)) {
                    continue;
                }
                long pid = Long.parseLong(Files.readString(pidFile).strip());
                Path cmdline = Path.of("/proc", Long.toString(pid), "cmdline");
                String command;
                try {
                    command = Files.readString(cmdline).replace('\0', ' ');
                } catch (IOException gone) {
                    continue;
                }
                if (command.contains("server --dir " + dir)) {
                    Command.of("kill", "-TERM", Long.toString(pid)).run(Duration.ofSeconds(10));
                    await().atMost(Duration.ofSeconds(20)).until(() -> !Files.exists(cmdline));
                }
            }
        }
    }

    @ParameterizedTest(name = "server {0}")
    @ValueSource(strings = {"on", "off"})
    void aRootlessSpecRunsAsRootInsideMappedToTheUser(String server) throws Exception {
        Path dir = user.directory(bundle.resolve("spec-" + server), "rwxr-xr-x");
        Files.createSymbolicLink(dir.resolve("rootfs"), bundle.resolve("rootfs"));
        Map<String, String> mode = Map.of("JRUN_SERVER", server);
        Command.Result spec = jrunIn(dir, mode, "spec", "--rootless");
        assertEquals(0, spec.code(), spec.transcript());
        ObjectNode config = (ObjectNode) new ObjectMapper().readTree(dir.resolve("config.json").toFile());
        assertEquals(user.uid(), config.at("/linux/uidMappings/0/hostID").asLong(), "spec --rootless maps the caller's uid");
        setArgs(config, "id -u; id -g; cat /proc/self/uid_map /proc/self/gid_map");
        new ObjectMapper().writeValue(dir.resolve("config.json").toFile(), config);

        Command.Result run = jrunIn(dir, mode, "run", "own-" + server);
        created.add("own-" + server);
        assertEquals(0, run.code(), run.transcript());
        List<String> lines = run.out().lines().map(String::strip).toList();
        assertEquals("0", lines.get(0), "uid 0 inside: " + run.transcript());
        assertEquals("0", lines.get(1), "gid 0 inside: " + run.transcript());
        assertEquals(List.of("0 " + user.uid() + " 1", "0 " + user.gid() + " 1"),
                lines.subList(2, lines.size()).stream().map(l -> l.replaceAll("\\s+", " ")).toList(), run.transcript());
        assertTrue(run.err().contains("no cgroups of its own"), "the skipped cgroups are said: " + run.transcript());
        assertEquals(List.of(), entries(runtimeDir.resolve("jrun")), "run leaves no state under $XDG_RUNTIME_DIR/jrun");
    }

    @Test
    void aSubordinateRangeIsMappedByNewuidmapAndDeleteLeavesNothing() throws Exception {
        Path dir = user.directory(bundle.resolve("wide"), "rwxr-xr-x");
        Files.createSymbolicLink(dir.resolve("rootfs"), bundle.resolve("rootfs"));
        assertEquals(0, jrunIn(dir, Map.of(), "spec", "--rootless").code());
        ObjectNode config = (ObjectNode) new ObjectMapper().readTree(dir.resolve("config.json").toFile());
        ((ObjectNode) config.get("linux")).set("uidMappings", wideMap(user.uid(), user.subUid()));
        ((ObjectNode) config.get("linux")).set("gidMappings", wideMap(user.gid(), user.subGid()));
        ObjectNode processUser = ((ObjectNode) config.get("process")).putObject("user");
        processUser.put("uid", 1000).put("gid", 1000).putArray("additionalGids").add(10);
        setArgs(config, "sleep 600");
        new ObjectMapper().writeValue(dir.resolve("config.json").toFile(), config);

        created.add("wide");
        Command.Result create = jrunIn(dir, Map.of(), "create", "wide");
        assertEquals(0, create.code(), create.transcript());
        Path state = runtimeDir.resolve("jrun/wide");
        assertTrue(Files.isDirectory(state), "its state is under $XDG_RUNTIME_DIR/jrun");
        assertEquals(user.uid(), ((Number) Files.getAttribute(state, "unix:uid")).longValue(), "and the user's");
        assertEquals("created", status("wide"), "told apart from running although the init runs as a subordinate uid");
        long pid = new ObjectMapper().readTree(jrun(Map.of(), "state", "wide").out()).get("pid").asLong();
        String status = Files.readString(Path.of("/proc", Long.toString(pid), "status"));
        assertTrue(status.contains("\nUid:\t" + (user.subUid() + 999) + "\t"), "container uid 1000 is host uid subUid+999:\n" + status);
        assertTrue(status.contains("\nGroups:\t" + (user.subGid() + 9) + " "), "the supplementary group is set:\n" + status);
        String uidMap = Files.readString(Path.of("/proc", Long.toString(pid), "uid_map")).replaceAll("[ \t]+", " ");
        assertTrue(uidMap.contains(" 1 " + user.subUid() + " 65536"), uidMap);
        assertEquals("allow", Files.readString(Path.of("/proc", Long.toString(pid), "setgroups")).strip(), "newgidmap leaves it allowed");

        assertEquals(0, jrun(Map.of(), "start", "wide").code());
        await().atMost(Duration.ofSeconds(10)).until(() -> status("wide").equals("running"));
        Command.Result ps = jrun(Map.of(), "ps", "--format", "json", "wide");
        assertEquals("[" + pid + "]", ps.out().strip(), "ps without cgroups: the processes of its pid namespace: " + ps.transcript());
        assertEquals(0, jrun(Map.of(), "kill", "wide", "KILL").code());
        await().atMost(Duration.ofSeconds(10)).until(() -> status("wide").equals("stopped"));
        Command.Result delete = jrun(Map.of(), "delete", "wide");
        assertEquals(0, delete.code(), delete.transcript());
        // Reaped by whoever it was reparented to, at once or nearly.
        await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(Path.of("/proc", Long.toString(pid))));
        assertEquals(List.of(), entries(runtimeDir.resolve("jrun")), "delete leaves nothing under $XDG_RUNTIME_DIR/jrun");
    }

    @Test
    void aRangeTheUserDoesNotOwnIsRefusedByNewuidmapAndLeavesNothing() throws Exception {
        Path dir = user.directory(bundle.resolve("foreign"), "rwxr-xr-x");
        Files.createSymbolicLink(dir.resolve("rootfs"), bundle.resolve("rootfs"));
        assertEquals(0, jrunIn(dir, Map.of(), "spec", "--rootless").code());
        ObjectNode config = (ObjectNode) new ObjectMapper().readTree(dir.resolve("config.json").toFile());
        // Just past the user's own range: never its own.
        ((ObjectNode) config.get("linux")).set("uidMappings", wideMap(user.uid(), user.subUid() + RootlessUser.RANGE));
        new ObjectMapper().writeValue(dir.resolve("config.json").toFile(), config);

        created.add("foreign");
        Command.Result run = jrunIn(dir, Map.of(), "run", "foreign");
        assertEquals(1, run.code(), run.transcript());
        assertTrue(run.err().contains("newuidmap") && run.err().contains("/etc/subuid"), run.transcript());
        assertEquals(List.of(), entries(runtimeDir.resolve("jrun")), "a failed create leaves no state");
    }

    /** What would silently not hold is refused before the id is reserved: limits without a cgroup, a spec without a user namespace. */
    @Test
    void limitsTheUserCannotApplyAndASpecWithoutUserNamespaceAreRefused() throws Exception {
        Path dir = user.directory(bundle.resolve("refused"), "rwxr-xr-x");
        Files.createSymbolicLink(dir.resolve("rootfs"), bundle.resolve("rootfs"));
        assertEquals(0, jrunIn(dir, Map.of(), "spec", "--rootless").code());
        ObjectNode config = (ObjectNode) new ObjectMapper().readTree(dir.resolve("config.json").toFile());
        ((ObjectNode) config.get("linux")).putObject("resources").putObject("pids").put("limit", 64);
        new ObjectMapper().writeValue(dir.resolve("config.json").toFile(), config);
        created.add("limits");
        Command.Result limits = jrunIn(dir, Map.of(), "run", "limits");
        assertEquals(1, limits.code(), limits.transcript());
        assertTrue(limits.err().contains("cannot apply linux.resources") && limits.err().contains("may not write"), limits.transcript());

        ((ObjectNode) config.get("linux")).remove(List.of("resources", "uidMappings", "gidMappings"));
        config.remove("hostname");
        ArrayNode namespaces = ((ObjectNode) config.get("linux")).putArray("namespaces");
        namespaces.addObject().put("type", "mount");
        namespaces.addObject().put("type", "pid");
        new ObjectMapper().writeValue(dir.resolve("config.json").toFile(), config);
        created.add("nouserns");
        Command.Result noUserns = jrunIn(dir, Map.of(), "run", "nouserns");
        assertEquals(1, noUserns.code(), noUserns.transcript());
        assertTrue(noUserns.err().contains("asks for no user namespace"), noUserns.transcript());
        assertEquals(List.of(), entries(runtimeDir.resolve("jrun")), "nothing is left");
    }

    @Test
    void withoutXdgRuntimeDirTheUserIsToldWhatToSet() throws Exception {
        // Its server lives where the test can stop it: without XDG_RUNTIME_DIR the client would choose /tmp/jrun-server-UID.
        Path servers = user.directory(tmp.resolve("servers"), "rwx------");
        Command.Result list = Command.of(user.command(Map.of("PATH", "/usr/bin:/bin", "JAVA_HOME", System.getProperty("java.home"),
                "JRUN_SERVER_DIR", servers.resolve("noxdg").toString()), List.of(install.resolve("bin/jrun").toString(), "list")))
                .in(bundle).run(LONG);
        assertEquals(1, list.code(), list.transcript());
        assertTrue(list.err().contains("XDG_RUNTIME_DIR is not set") && list.err().contains("--root"), list.transcript());
    }

    private static ArrayNode wideMap(long own, long subordinate) {
        ArrayNode map = new ObjectMapper().createArrayNode();
        map.addObject().put("containerID", 0).put("hostID", own).put("size", 1);
        map.addObject().put("containerID", 1).put("hostID", subordinate).put("size", RootlessUser.RANGE);
        return map;
    }

    private static void setArgs(ObjectNode config, String script) {
        ArrayNode args = ((ObjectNode) config.get("process")).putArray("args");
        args.add("sh").add("-c").add(script);
    }

    private String status(String id) throws IOException, InterruptedException {
        Command.Result state = jrun(Map.of(), "state", id);
        return state.code() == 0 ? new ObjectMapper().readTree(state.out()).get("status").asText() : "absent";
    }

    private static Command.Result jrun(Map<String, String> extra, String... args) throws IOException, InterruptedException {
        return jrunIn(bundle, extra, args);
    }

    /** bin/jrun of the copy, as the user, in dir, with only the variables a login would give it (and extra). */
    private static Command.Result jrunIn(Path dir, Map<String, String> extra, String... args) throws IOException, InterruptedException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("XDG_RUNTIME_DIR", runtimeDir.toString());
        env.putAll(extra);
        List<String> command = new ArrayList<>(List.of(install.resolve("bin/jrun").toString()));
        command.addAll(List.of(args));
        return Command.of(user.command(env, command)).in(dir).run(LONG);
    }

    /** bin/jrun, its JDK finder and the build's jar, helper and client, in a directory every user can read. */
    private static Path copyOfTheBuild(Path dir) throws IOException {
        Path repo = JrunProcess.REPO;
        for (String file : List.of("bin/jrun", "scripts/lib/find-jdk.sh", "runtime/target/jrun.jar", "runtime/target/jrun-init",
                "runtime/target/jrun-client")) {
            Path target = dir.resolve(file);
            Files.createDirectories(target.getParent());
            Files.copy(repo.resolve(file), target, StandardCopyOption.COPY_ATTRIBUTES);
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.toList()) {
                Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString(
                        Files.isDirectory(p) || Files.isExecutable(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        return dir;
    }

    private static List<String> entries(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
