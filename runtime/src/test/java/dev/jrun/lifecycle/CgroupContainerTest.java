package dev.jrun.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Container tests on the host's real cgroups (root required): each container has an id no other test uses (its
 * default cgroup /jrun/ID is shared by every jrun on the host), and every cgroup the test makes or expects jrun to
 * make is registered with {@link #cgroups} and removed after it, after its containers are force-deleted.
 */
abstract class CgroupContainerTest extends BusyboxContainerTest {
    static final String CGROUPFS_MOUNTS = """
              - {destination: /sys, type: sysfs, source: sysfs, options: [nosuid, noexec, nodev, ro]}
              - {destination: /sys/fs/cgroup, type: cgroup, source: cgroup, options: [nosuid, noexec, nodev, relatime, ro]}
            """;

    final HostCgroups cgroups = new HostCgroups();

    @BeforeEach
    void writableCgroups() {
        HostCgroups.assumeWritable();
    }

    @AfterEach
    void removeContainersAndCgroups() throws Exception {
        try {
            for (String id : jrun().run("list", "-q").out().lines().toList()) {
                jrun().run("delete", "--force", id);
            }
        } finally {
            cgroups.removeAll();
        }
    }

    /** A fresh container id, which is also its spec's file name and hostname. */
    static String freshId() {
        return HostCgroups.unique("cg-");
    }

    /**
     * A spec for container id running script, with these lines added to its linux section (indented by two) and,
     * when cgroupfs, /sys and a cgroup mount at /sys/fs/cgroup.
     */
    static Path spec(String id, String script, String linuxLines, boolean cgroupfs) throws Exception {
        return spec(id, script, linuxLines, cgroupfs, Bundles.DEFAULT_LINUX);
    }

    static Path spec(String id, String script, String linuxLines, boolean cgroupfs, String linux) throws Exception {
        Path spec = Bundles.spec(bundle, id, script, "", linux + linuxLines.indent(2));
        if (cgroupfs) {
            String proc = "  - {destination: /proc, type: proc, source: proc}\n";
            Files.writeString(spec, Files.readString(spec).replace(proc, proc + CGROUPFS_MOUNTS));
        }
        return spec;
    }

    /** `jrun run` of a fresh container in the default cgroup /jrun/ID, removed after the test if jrun left it. */
    JrunProcess.Result runInDefaultCgroup(String script, String linuxLines, boolean cgroupfs) throws Exception {
        String id = freshId();
        cgroups.removeAfter("/jrun/" + id);
        return jrun().run("run", spec(id, script, linuxLines, cgroupfs).toString());
    }

    /** create, which must succeed; the init's pid. */
    long create(Path spec, String... globalOptions) throws Exception {
        String[] args = new String[globalOptions.length + 2];
        System.arraycopy(globalOptions, 0, args, 0, globalOptions.length);
        args[globalOptions.length] = "create";
        args[globalOptions.length + 1] = spec.toString();
        JrunProcess.Result create = jrun().run(args);
        assertEquals(0, create.code(), create.err());
        String id = spec.getFileName().toString().replaceFirst("\\.yaml$", "");
        return jrun().run("state", id).json().get("pid").asLong();
    }

    /** The container's state.json as jrun recorded it. */
    JsonNode recorded(String id) throws Exception {
        return new ObjectMapper().readTree(stateRoot.resolve(id).resolve("state.json").toFile());
    }

    void delete(String id) throws Exception {
        JrunProcess.Result delete = jrun().run("delete", "--force", id);
        assertEquals(0, delete.code(), delete.err());
    }
}
