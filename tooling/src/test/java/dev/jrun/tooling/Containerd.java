package dev.jrun.tooling;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A containerd daemon of the tests' own: root, state, sockets, opt directory and jrun's state
 * root in a work directory under /run (short: jrun's <root>/<id>/start.sock must fit a Unix
 * socket path), the CRI plugin off, and the busybox image imported from an OCI archive. Tasks
 * run through containerd's runc shim (io.containerd.runc.v2) with bin/jrun as its runc binary
 * (`ctr run --runc-binary`). close() deletes the tasks and containers made through
 * {@link #newId()}, stops the daemon by its pid, unmounts what is left under the work directory
 * and removes it.
 */
final class Containerd implements AutoCloseable {
    static final String NAMESPACE = "jrun-e2e";
    static final String IMAGE = "docker.io/library/jrun-e2e:latest";

    private final Path work;
    private final Path wrapper;
    private final Host.MadePaths made;
    private final Set<String> ids = new LinkedHashSet<>();
    private Process daemon;

    private Containerd(Path work, Host.MadePaths made) throws IOException {
        this.work = work;
        this.made = made;
        this.wrapper = Host.jrunWrapper(work);
    }

    static Containerd start() throws IOException {
        // containerd 1.6 puts its shims' sockets in /run/containerd/s and fifos in /run/containerd/fifo, whatever its state dir.
        Host.MadePaths made = new Host.MadePaths("/run/containerd", "/run/containerd/s", "/run/containerd/fifo");
        Containerd containerd = new Containerd(Files.createTempDirectory(Path.of("/run"), "jrun-e2e-ctd."), made);
        try {
            containerd.startDaemon();
            Path layer = BusyboxImage.layer(containerd.work);
            Path archive = BusyboxImage.ociArchive(layer, IMAGE, containerd.work.resolve("image.tar"));
            containerd.ctr("image", "import", archive.toString()).ok();
            return containerd;
        } catch (RuntimeException | Error | IOException e) {
            containerd.close();
            throw e;
        }
    }

    private void startDaemon() throws IOException {
        Path config = work.resolve("config.toml");
        Files.writeString(config, """
                version = 2
                root = "%1$s/root"
                state = "%1$s/state"
                disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
                  "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.internal.v1.tracing",
                  "io.containerd.tracing.processor.v1.otlp"]
                [grpc]
                  address = "%1$s/containerd.sock"
                [ttrpc]
                  address = "%1$s/containerd.sock.ttrpc"
                [debug]
                  address = "%1$s/debug.sock"
                [plugins."io.containerd.internal.v1.opt"]
                  path = "%1$s/opt"
                """.formatted(work));
        Path log = work.resolve("containerd.log");
        daemon = new ProcessBuilder("containerd", "--config", config.toString())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!Host.waitFor(Duration.ofSeconds(20), () -> !daemon.isAlive() || ctr("version").exit() == 0) || !daemon.isAlive()) {
            throw new IllegalStateException("containerd did not start: " + Files.readString(log));
        }
    }

    Path work() {
        return work;
    }

    /** bin/jrun as the shim runs it (the wrapper): with its server in the work directory, which close() stops. */
    Path jrun() {
        return wrapper;
    }

    /** jrun's state root for this daemon's namespace (the shim passes --root ROOT/NAMESPACE). */
    Path jrunRoot() {
        return work.resolve("runc").resolve(NAMESPACE);
    }

    Exec.Result ctr(String... args) {
        List<String> command = new ArrayList<>(List.of("ctr", "--address", work.resolve("containerd.sock").toString(), "--namespace", NAMESPACE));
        command.addAll(List.of(args));
        return Exec.run(Map.of(), command);
    }

    /** ctr run --runc-binary bin/jrun --runc-root ROOT OPTIONS... (options, image, id, command). */
    Exec.Result run(String... optionsImageIdCommand) {
        List<String> command = new ArrayList<>(List.of("run", "--runc-binary", wrapper.toString(), "--runc-root", work.resolve("runc").toString()));
        command.addAll(List.of(optionsImageIdCommand));
        return ctr(command.toArray(String[]::new));
    }

    /** A fresh container id that close() deletes. */
    String newId() {
        String id = "e2e-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        ids.add(id);
        return id;
    }

    /** The status column of `ctr task ls` for this task, or "" when it is not listed. */
    String taskStatus(String id) {
        return ctr("task", "ls").ok().out().lines().skip(1)
                .map(line -> line.trim().split("\\s+"))
                .filter(fields -> fields.length == 3 && fields[0].equals(id))
                .map(fields -> fields[2]).findFirst().orElse("");
    }

    @Override
    public void close() {
        if (daemon != null && daemon.isAlive()) {
            for (String id : ids) {
                if (!taskStatus(id).isEmpty()) {
                    ctr("task", "kill", "--signal", "SIGKILL", id);
                    Host.waitFor(Duration.ofSeconds(10), () -> taskStatus(id).equals("STOPPED") || taskStatus(id).isEmpty());
                    ctr("task", "delete", "--force", id);
                }
                ctr("container", "delete", id);
            }
            ctr("image", "rm", IMAGE);
            daemon.destroy();
            try {
                if (!daemon.waitFor(15, TimeUnit.SECONDS)) {
                    daemon.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (String id : ids) {
            if (Files.exists(jrunRoot().resolve(id))) {
                Exec.run(Map.of(), List.of(wrapper.toString(), "--root", jrunRoot().toString(), "delete", "--force", id));
            }
        }
        Host.stopJrunServer(work);
        Host.removeWorkDir(work);
        made.removeMade();
        removeNamespaceCgroups();
    }

    /**
     * containerd puts a task's cgroup at /NAMESPACE/ID; jrun made /NAMESPACE for the first task and, when a second
     * one still lived below it, left it at that task's delete and no container records it since
     * (docs/cgroups.md, "Making and removing them"). Removed here once empty, in every hierarchy, by its exact path.
     */
    private static void removeNamespaceCgroups() {
        try (var hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path hierarchy : hierarchies.toList()) {
                Path parent = hierarchy.resolve(NAMESPACE);
                if (Files.isDirectory(parent, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    try {
                        Files.delete(parent); // rmdir: only an empty cgroup goes
                    } catch (IOException e) {
                        // still in use (another run's task): left as it is
                    }
                }
            }
        } catch (IOException e) {
            // no cgroup mounts to look at
        }
    }
}
