package dev.jrun.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The layouts of real hosts and containers, read from the text of their /proc files. */
class CgroupLayoutTest {
    /** This project's machine: v1 controllers each on its own, name=systemd, and the v2 tree at unified. */
    private static final String HYBRID_MOUNTINFO = """
            22 1 253:1 / / rw,relatime - ext4 /dev/vda rw
            23 22 0:21 / /sys rw,nosuid,nodev,noexec,relatime - sysfs sysfs rw
            31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
            32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
            33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
            34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset
            35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
            36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices
            37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer
            38 31 0:35 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio
            39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
            40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
            41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
            """;
    private static final String HYBRID_CGROUP = """
            9:name=systemd:/
            8:pids:/
            7:blkio:/
            6:freezer:/
            5:devices:/
            4:memory:/process_api/e0e0b10dd32fded1595c67b4c774079e
            3:cpuset:/
            2:cpuacct:/
            1:cpu:/
            0::/
            """;

    @Test
    void hybridHostHasEveryV1HierarchyAndTheUnifiedTree() {
        CgroupLayout layout = CgroupLayout.parse(HYBRID_MOUNTINFO);
        assertEquals(CgroupLayout.Kind.HYBRID, layout.kind());
        assertEquals(10, layout.mounts().size(), "the tmpfs holding them is not a cgroup mount");
        Map<String, Path> directories = Membership.parse(HYBRID_CGROUP).stream().collect(Collectors.toMap(Membership::hierarchy,
                m -> layout.mountOf(m).flatMap(mount -> mount.directoryOf(m.path())).orElseThrow()));
        assertEquals(Path.of("/sys/fs/cgroup/memory/process_api/e0e0b10dd32fded1595c67b4c774079e"), directories.get("memory"));
        assertEquals(Path.of("/sys/fs/cgroup/systemd"), directories.get("name=systemd"));
        assertEquals(Path.of("/sys/fs/cgroup/unified"), directories.get("unified"));
        assertEquals(Path.of("/sys/fs/cgroup/cpuacct"), directories.get("cpuacct"));
        assertEquals(new CgroupMount.V1(Path.of("/sys/fs/cgroup/systemd"), "/", false, List.of("name=systemd")),
                layout.mountOf(new Membership(9, List.of("name=systemd"), "/")).orElseThrow());
    }

    @Test
    void pureV2HostHasOneTree() {
        CgroupLayout layout = CgroupLayout.parse("""
                24 1 0:22 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
                35 24 0:30 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
                """);
        assertEquals(CgroupLayout.Kind.UNIFIED, layout.kind());
        Membership session = Membership.parse("0::/user.slice/user-1000.slice/session-3.scope\n").getFirst();
        assertTrue(session.unified());
        assertEquals("unified", session.hierarchy());
        assertEquals(Optional.of(Path.of("/sys/fs/cgroup/user.slice/user-1000.slice/session-3.scope")),
                layout.mountOf(session).flatMap(m -> m.directoryOf(session.path())));
    }

    @Test
    void v1HostWithCoMountedControllersAndANamedHierarchy() {
        // CentOS 7: systemd co-mounts cpu with cpuacct (written in either order) and net_cls with net_prio.
        CgroupLayout layout = CgroupLayout.parse("""
                25 18 0:20 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755
                26 25 0:21 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:10 - cgroup cgroup rw,xattr,release_agent=/usr/lib/systemd/systemd-cgroups-agent,name=systemd
                29 25 0:24 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:13 - cgroup cgroup rw,cpuacct,cpu
                30 25 0:25 / /sys/fs/cgroup/net_cls,net_prio rw,nosuid,nodev,noexec,relatime shared:14 - cgroup cgroup rw,net_prio,net_cls
                31 25 0:26 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:15 - cgroup cgroup rw,memory
                """);
        assertEquals(CgroupLayout.Kind.V1, layout.kind());
        List<Membership> sshd = Membership.parse("""
                5:memory:/system.slice/sshd.service
                4:net_cls,net_prio:/
                3:cpu,cpuacct:/system.slice/sshd.service
                2:devices:/system.slice/sshd.service
                1:name=systemd:/system.slice/sshd.service
                """);
        assertEquals(List.of("cpu", "cpuacct"), sshd.get(2).controllers());
        assertEquals(Path.of("/sys/fs/cgroup/cpu,cpuacct/system.slice/sshd.service"),
                layout.mountOf(sshd.get(2)).flatMap(m -> m.directoryOf(sshd.get(2).path())).orElseThrow());
        assertEquals(Path.of("/sys/fs/cgroup/net_cls,net_prio"), layout.mountOf(sshd.get(1)).orElseThrow().mountPoint());
        assertEquals(List.of("xattr", "release_agent=/usr/lib/systemd/systemd-cgroups-agent", "name=systemd"),
                ((CgroupMount.V1) layout.mountOf(sshd.get(4)).orElseThrow()).options());
        assertEquals(Optional.empty(), layout.mountOf(sshd.get(3)), "devices is not mounted here");
        assertFalse(layout.mountOf(sshd.get(0)).orElseThrow().readOnly(), "the read-only tmpfs above does not count");
    }

    @Test
    void containerWithoutACgroupNamespaceSeesItsOwnCgroupAsTheRootOfReadOnlyMounts() {
        // Docker on a v1 host: each hierarchy is bind-mounted from the container's own cgroup, read-only.
        CgroupLayout layout = CgroupLayout.parse("""
                615 607 0:70 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime - tmpfs tmpfs rw,mode=755
                620 615 0:32 /docker/4f1c9a /sys/fs/cgroup/memory ro,nosuid,nodev,noexec,relatime master:15 - cgroup cgroup rw,memory
                621 615 0:21 /docker/4f1c9a /sys/fs/cgroup/systemd ro,nosuid,nodev,noexec,relatime master:10 - cgroup cgroup rw,xattr,name=systemd
                """);
        Membership memory = Membership.parse("9:memory:/docker/4f1c9a\n").getFirst();
        CgroupMount mount = layout.mountOf(memory).orElseThrow();
        assertTrue(mount.readOnly());
        assertEquals("/docker/4f1c9a", mount.root());
        assertEquals(Optional.of(Path.of("/sys/fs/cgroup/memory")), mount.directoryOf(memory.path()));
        assertEquals(Optional.of(Path.of("/sys/fs/cgroup/memory/sub")), mount.directoryOf("/docker/4f1c9a/sub"));
        assertEquals(Optional.empty(), mount.directoryOf("/docker/4f1c9abc"), "a sibling whose name only starts alike");
        assertEquals(Optional.empty(), mount.directoryOf("/"), "above what the mount shows");
    }

    @Test
    void cgroupNamespaceShowsPathsFromItsRootAndCannotShowWhatIsOutside() {
        // A container with its own cgroup namespace on a v2 host; a nested pod path in it.
        CgroupLayout layout = CgroupLayout.parse(
                "1022 1015 0:30 / /sys/fs/cgroup ro,nosuid,nodev,noexec,relatime - cgroup2 cgroup rw,nsdelegate\n");
        CgroupMount tree = layout.mountOf(Membership.parse("0::/\n").getFirst()).orElseThrow();
        assertEquals(Optional.of(Path.of("/sys/fs/cgroup")), tree.directoryOf("/"));
        assertEquals(Optional.of(Path.of("/sys/fs/cgroup/kubepods/burstable/pod7c1/ctr")), tree.directoryOf("/kubepods/burstable/pod7c1/ctr"));
        Membership outside = Membership.parse("0::/../../system.slice/other.service\n").getFirst();
        assertEquals("/../../system.slice/other.service", outside.path());
        assertEquals(Optional.empty(), tree.directoryOf(outside.path()));
    }

    @Test
    void aHierarchyMountedTwiceIsReachedThroughTheWritableMountShowingMostOfIt() {
        CgroupLayout layout = CgroupLayout.parse("""
                40 31 0:32 / /mnt/memory-ro ro,relatime - cgroup cgroup rw,memory
                41 31 0:32 /jobs /mnt/jobs rw,relatime - cgroup cgroup rw,memory
                42 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
                43 31 0:38 / /mnt/with\\040space rw,relatime - cgroup2 cgroup2 rw
                """);
        assertEquals(Path.of("/sys/fs/cgroup/memory"), layout.mountOf(new Membership(4, List.of("memory"), "/")).orElseThrow().mountPoint());
        assertEquals(Path.of("/mnt/with space"), layout.mountOf(new Membership(0, List.of(), "/")).orElseThrow().mountPoint());
    }

    @Test
    void procCgroupLinesKeepColonsInPathsAndSkipWhatIsNotALine() {
        List<Membership> memberships = Membership.parse("""
                12:blkio:/a:b
                0::/odd:name
                not a line
                x:memory:/
                """);
        assertEquals(List.of(new Membership(12, List.of("blkio"), "/a:b"), new Membership(0, List.of(), "/odd:name")), memberships);
    }

    @Test
    void noCgroupMountsIsNone() {
        assertEquals(CgroupLayout.Kind.NONE, CgroupLayout.parse("22 1 253:1 / / rw,relatime - ext4 /dev/vda rw\n").kind());
        assertEquals(Optional.empty(), CgroupLayout.parse("").mountOf(new Membership(0, List.of(), "/")));
    }
}
