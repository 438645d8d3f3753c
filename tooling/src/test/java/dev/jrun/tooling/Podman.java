package dev.jrun.tooling;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Rootful podman, hermetic (as bench/podman.sh runs it): storage, runroot, tmp, lock, events,
 * volumes and network configuration in a work directory through a containers.conf of its own;
 * cgroupfs; the busybox image imported; bin/jrun as its OCI runtime with jrun's default state
 * root (/run/jrun: podman 4.3 does not pass --runtime-flag root= to delete). Every container is
 * made through {@link #newName()} or a cidfile, and close() removes exactly those.
 */
final class Podman implements AutoCloseable {
    static final String IMAGE = "localhost/jrun-e2e:latest";
    /** podman's default nofile (1048576) exceeds this host's hard limit; see docs/integration.md. */
    static final List<String> RUN_OPTIONS = List.of("--network", "none", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024");
    static final Path JRUN_ROOT = Path.of("/run/jrun");

    private final Path work;
    private final Host.MadePaths made;
    private final List<String> base;
    private final Map<String, String> env;
    private final Set<String> names = new LinkedHashSet<>();
    private final Set<String> ids = new LinkedHashSet<>();

    private Podman(Path work, Host.MadePaths made) throws IOException {
        this.work = work;
        this.made = made;
        Path conf = work.resolve("containers.conf");
        Files.writeString(conf, """
                [engine]
                lock_type = "file"
                events_logger = "file"
                events_logfile_path = "%1$s/events.log"
                cgroup_manager = "cgroupfs"
                tmp_dir = "%1$s/tmp"
                image_copy_tmp_dir = "%1$s/tmp"
                volume_path = "%1$s/volumes"
                static_dir = "%1$s/static"
                [network]
                network_config_dir = "%1$s/networks"
                """.formatted(work));
        Files.createDirectories(work.resolve("tmp"));
        this.env = Map.of("CONTAINERS_CONF", conf.toString());
        this.base = List.of("podman", "--root", work.resolve("storage").toString(), "--runroot", work.resolve("run").toString(),
                "--cgroup-manager", "cgroupfs", "--events-backend", "file", "--runtime", Host.jrunWrapper(work).toString());
    }

    static Podman start() throws IOException {
        Host.MadePaths made = new Host.MadePaths("/var/lib/containers", "/var/lib/containers/cache",
                "/var/lib/containers/cache/blob-info-cache-v1.boltdb", "/run/containers", "/run/containers/networks");
        Path work = Files.createTempDirectory(Path.of("/tmp"), "jrun-e2e-podman.");
        Podman podman = new Podman(work, made);
        try {
            Path layer = BusyboxImage.layer(work);
            podman.podman("import", layer.toString(), IMAGE).ok();
            return podman;
        } catch (RuntimeException | Error e) {
            podman.close();
            throw e;
        }
    }

    Path work() {
        return work;
    }

    /** podman GLOBAL-OPTIONS ARGS... */
    Exec.Result podman(String... args) {
        List<String> command = new ArrayList<>(base);
        command.addAll(List.of(args));
        return Exec.run(env, command);
    }

    /** podman run RUN_OPTIONS OPTIONS... (options, then the image and command, as podman takes them). */
    Exec.Result run(String... optionsImageCommand) {
        List<String> command = new ArrayList<>(List.of("run"));
        command.addAll(RUN_OPTIONS);
        command.addAll(List.of(optionsImageCommand));
        return podman(command.toArray(String[]::new));
    }

    /** A fresh container name that close() removes. */
    String newName() {
        String name = "jrun-e2e-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        names.add(name);
        return name;
    }

    /** A cidfile path for `run --cidfile`; the id written there is remembered for close(). */
    Path newCidfile() {
        return work.resolve("cid-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()));
    }

    String readCid(Path cidfile) throws IOException {
        String id = Files.readString(cidfile).strip();
        ids.add(id);
        return id;
    }

    void remember(String id) {
        ids.add(id.strip());
    }

    /** Removes this instance's containers by exact name and id, then its image, storage and work directory. */
    @Override
    public void close() {
        for (String name : names) {
            podman("rm", "--force", "--time", "0", "--ignore", name);
        }
        for (String id : ids) {
            podman("rm", "--force", "--time", "0", "--ignore", id);
            if (Files.exists(JRUN_ROOT.resolve(id))) {
                Exec.run(Map.of(), List.of(work.resolve("jrun").toString(), "--root", JRUN_ROOT.toString(), "delete", "--force", id));
            }
        }
        if (Files.isDirectory(work.resolve("storage"))) {
            podman("rmi", "--force", IMAGE);
        }
        Host.stopJrunServer(work);
        Host.removeWorkDir(work);
        made.removeMade();
    }
}
