package dev.jrun.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.error.JrunException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Where a container's cgroups go, computed from layouts whose mount points lie in a temporary directory. */
class CgroupPathsTest {
    @TempDir
    Path root;

    /** A hybrid host like this project's machine: the runtime's memory cgroup is not the root. */
    private CgroupLayout hybrid() {
        return CgroupLayout.parse("""
                31 23 0:28 / %1$s rw,relatime - tmpfs tmpfs rw,mode=755
                35 31 0:32 / %1$s/memory rw,relatime - cgroup cgroup rw,memory
                34 31 0:31 / %1$s/cpuset rw,relatime - cgroup cgroup rw,cpuset
                40 31 0:37 / %1$s/systemd rw,relatime - cgroup cgroup rw,name=systemd
                41 31 0:38 / %1$s/unified rw,relatime - cgroup2 cgroup2 rw
                """.formatted(root));
    }

    private static final List<Membership> HYBRID_OWN = Membership.parse("""
            9:name=systemd:/user.slice/session-1.scope
            4:memory:/process_api/abc
            3:cpuset:/
            2:net_cls:/
            0::/user.slice/session-1.scope
            """);

    private Map<String, Path> resolve(String cgroupsPath, boolean systemd) throws JrunException.InvalidSpec {
        return resolve(Optional.ofNullable(cgroupsPath), systemd, HYBRID_OWN, hybrid());
    }

    private static Map<String, Path> resolve(Optional<String> cgroupsPath, boolean systemd, List<Membership> own,
                                             CgroupLayout layout) throws JrunException.InvalidSpec {
        Map<String, Path> directories = new LinkedHashMap<>();
        for (ContainerCgroup cgroup : CgroupPaths.resolve(cgroupsPath, "c1", systemd, own, layout)) {
            directories.put(cgroup.hierarchy(), cgroup.directory());
        }
        return directories;
    }

    @Test
    void anAbsolutePathIsTakenBelowEveryHierarchysRootAndUnmountedHierarchiesArePassedOver() throws Exception {
        Map<String, Path> directories = resolve("/pod1/c1", false);
        assertEquals(List.of("name=systemd", "memory", "cpuset", "unified"), List.copyOf(directories.keySet()),
                "net_cls is mounted nowhere here");
        assertEquals(root.resolve("systemd/pod1/c1"), directories.get("name=systemd"));
        assertEquals(root.resolve("memory/pod1/c1"), directories.get("memory"), "not under the runtime's own memory cgroup");
        assertEquals(root.resolve("unified/pod1/c1"), directories.get("unified"));
    }

    @Test
    void anAbsolutePathIsTakenBelowTheRootAMountShows() throws Exception {
        // A container's view of its host's hierarchy: the mount shows /kubepods/pod9 at its mount point.
        CgroupLayout layout = CgroupLayout.parse("41 31 0:38 /kubepods/pod9 %s rw - cgroup2 cgroup2 rw".formatted(root));
        Map<String, Path> directories = resolve(Optional.of("/a/b"), false, Membership.parse("0::/kubepods/pod9\n"), layout);
        assertEquals(Map.of("unified", root.resolve("a/b")), directories);
    }

    @Test
    void aRelativePathIsTakenBelowTheRuntimesOwnCgroupInEachHierarchy() throws Exception {
        Map<String, Path> directories = resolve("pod1/c1", false);
        assertEquals(root.resolve("memory/process_api/abc/pod1/c1"), directories.get("memory"));
        assertEquals(root.resolve("cpuset/pod1/c1"), directories.get("cpuset"));
        assertEquals(root.resolve("systemd/user.slice/session-1.scope/pod1/c1"), directories.get("name=systemd"));
        assertEquals(root.resolve("unified/user.slice/session-1.scope/pod1/c1"), directories.get("unified"));
    }

    @Test
    void aRelativePathIsRefusedWhereTheRuntimesOwnCgroupIsOutsideTheMount() {
        CgroupLayout layout = CgroupLayout.parse("41 31 0:38 /kubepods/pod9 %s rw - cgroup2 cgroup2 rw".formatted(root));
        JrunException.InvalidSpec e = assertThrows(JrunException.InvalidSpec.class,
                () -> resolve(Optional.of("c1"), false, Membership.parse("0::/system.slice/x\n"), layout));
        assertTrue(e.getMessage().contains("/linux/cgroupsPath: the relative path \"c1\""), e.getMessage());
        assertTrue(e.getMessage().contains("give an absolute path"), e.getMessage());
    }

    @Test
    void noPathMeansJrunsParentAndTheId() throws Exception {
        Map<String, Path> directories = resolve(null, false);
        assertEquals(root.resolve("memory/jrun/c1"), directories.get("memory"));
        assertEquals(root.resolve("unified/jrun/c1"), directories.get("unified"));
    }

    @Test
    void aPureV2HostHasOneDirectory() throws Exception {
        CgroupLayout layout = CgroupLayout.parse("41 31 0:38 / %s rw - cgroup2 cgroup2 rw".formatted(root));
        assertEquals(Map.of("unified", root.resolve("jrun/c1")),
                resolve(Optional.empty(), false, Membership.parse("0::/init.scope\n"), layout));
    }

    @Test
    void systemdSlicesAreExpandedAsSystemdDoes() throws Exception {
        assertEquals("/system.slice/jrun-c1.scope", CgroupPaths.systemdPath("system.slice:jrun:c1"));
        assertEquals("/machine.slice/machine-pods.slice/machine-pods-p1.slice/crio-abc.scope",
                CgroupPaths.systemdPath("machine-pods-p1.slice:crio:abc"));
        assertEquals("/c1.scope", CgroupPaths.systemdPath("-.slice::c1"), "-.slice is the root, no prefix no dash");
        assertEquals("/system.slice/x-c1.scope", CgroupPaths.systemdPath(":x:c1"), "an empty slice is system.slice");
    }

    @Test
    void withSystemdEveryHierarchyGetsTheScopesPath() throws Exception {
        Map<String, Path> directories = resolve("user.slice:podman:c1", true);
        assertEquals(root.resolve("systemd/user.slice/podman-c1.scope"), directories.get("name=systemd"));
        assertEquals(root.resolve("memory/user.slice/podman-c1.scope"), directories.get("memory"));
        assertEquals(root.resolve("unified/user.slice/podman-c1.scope"), directories.get("unified"));
        assertEquals(root.resolve("unified/system.slice/jrun-c1.scope"), resolve(null, true).get("unified"),
                "no path: system.slice:jrun:ID");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a/../b", "../b", "a/..", "/a/./b", "/a//b", "a/", "", "/", "/a\0b"})
    void pathsThatCouldNameAnotherCgroupAreRefusedAtTheirPointer(String path) {
        JrunException.InvalidSpec e = assertThrows(JrunException.InvalidSpec.class, () -> resolve(path, false));
        assertTrue(e.getMessage().contains("/linux/cgroupsPath: "), e.getMessage());
        assertEquals(3, e.exitCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/pod1/c1", "system.slice:c1", "a:b:c:d", "system:jrun:c1", "a--b.slice:x:c1",
        "-a.slice:x:c1", "a-.slice:x:c1", "a/b.slice:x:c1", "system.slice:x:", "system.slice:x/y:c1", "system.slice:x:../c1"})
    void systemdFormsThatAreNotSliceColonPrefixColonNameAreRefused(String path) {
        JrunException.InvalidSpec e = assertThrows(JrunException.InvalidSpec.class, () -> resolve(path, true));
        assertTrue(e.getMessage().startsWith("the spec is invalid:\n/linux/cgroupsPath: \"" + path + "\""), e.getMessage());
    }

    @Test
    void theMessageSaysWhatIsWrong() {
        JrunException.InvalidSpec e = assertThrows(JrunException.InvalidSpec.class, () -> resolve("/pods/../../etc", false));
        assertEquals("the spec is invalid:\n/linux/cgroupsPath: \"/pods/../../etc\" has a \"..\" component; a cgroup path "
                + "names its directories plainly, without \"..\" or \".\"", e.getMessage());
    }
}
