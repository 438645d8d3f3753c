package dev.jrun.lifecycle;

import dev.jrun.testing.Command;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Test bundles: a busybox rootfs built from the host's /bin/busybox, and specs written beside it. */
public final class Bundles {
    private Bundles() {}

    /** JUnit's temporary directories are 0700: a container root mapped to another uid could not pass them. */
    public static Path searchable(Path dir) throws IOException {
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    public static Path busyboxBundle(Path dir) throws IOException, InterruptedException {
        Command.of(JrunProcess.REPO.resolve("scripts/make-rootfs.sh").toString(), dir.resolve("rootfs").toString()).check(Duration.ofSeconds(60));
        return dir;
    }

    public static final String DEFAULT_LINUX = "linux:\n  namespaces: [{type: pid}, {type: mount}, {type: uts}, {type: ipc}, {type: network}]\n";

    /** A spec running `script` with sh in its own pid, mount, uts, ipc and network namespaces. */
    public static Path spec(Path bundle, String name, String script, String extraYaml) throws IOException {
        return spec(bundle, name, script, extraYaml, DEFAULT_LINUX);
    }

    /** The same with another linux section. */
    public static Path spec(Path bundle, String name, String script, String extraYaml, String linuxYaml) throws IOException {
        String yaml = """
                ociVersion: 1.2.0
                root: {path: rootfs}
                hostname: %s
                process:
                  cwd: /
                  user: {uid: 0, gid: 0}
                  args: [sh, -c, %s]
                  env: [PATH=/bin]
                mounts:
                  - {destination: /proc, type: proc, source: proc}
                  - {destination: /dev/null, type: bind, source: /dev/null, options: [bind]}
                %s
                %s
                """.formatted(name, yamlQuote(script), linuxYaml, extraYaml);
        return Files.writeString(bundle.resolve(name + ".yaml"), yaml);
    }

    private static String yamlQuote(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
