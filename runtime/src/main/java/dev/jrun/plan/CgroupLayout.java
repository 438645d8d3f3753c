package dev.jrun.plan;

import java.util.List;

/**
 * How the host mounts cgroups, which decides what a spec's `type: cgroup` mount becomes: on a pure
 * cgroup v2 host one cgroup2 mount; on a v1 or hybrid host a tmpfs holding one fresh mount per
 * hierarchy (same controllers as the host's, so the kernel reuses them) and the v2 tree if present.
 *
 * @param hierarchies v1 hierarchies: the directory name under /sys/fs/cgroup and the controller options ("cpu,cpuacct", "name=systemd")
 * @param unifiedName the directory of the cgroup2 tree on a hybrid host ("unified"), or null
 */
public record CgroupLayout(boolean pureV2, List<Hierarchy> hierarchies, String unifiedName) {
    public CgroupLayout {
        hierarchies = List.copyOf(hierarchies);
    }

    public record Hierarchy(String name, String options) {}

    public static CgroupLayout v2() {
        return new CgroupLayout(true, List.of(), null);
    }
}
