package dev.jrun.cgroup;

import dev.jrun.spec.host.MountInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * How cgroups are mounted in this process's mount namespace: every `cgroup` (v1) and `cgroup2` mount of
 * /proc/self/mountinfo, in mount order. A pure v2 host mounts one cgroup2 tree (at /sys/fs/cgroup); a v1 host one
 * mount per hierarchy (/sys/fs/cgroup/memory, /sys/fs/cgroup/systemd for name=systemd, …); a hybrid host both, the
 * v2 tree usually at /sys/fs/cgroup/unified.
 */
public record CgroupLayout(List<CgroupMount> mounts) {
    public CgroupLayout {
        mounts = List.copyOf(mounts);
    }

    public enum Kind {
        /** No cgroup file system is mounted. */
        NONE,
        /** Only v1 hierarchies (named ones such as name=systemd count). */
        V1,
        /** Only the v2 tree. */
        UNIFIED,
        /** v1 hierarchies and the v2 tree. */
        HYBRID
    }

    public Kind kind() {
        boolean v1 = mounts.stream().anyMatch(m -> m instanceof CgroupMount.V1);
        boolean v2 = mounts.stream().anyMatch(m -> m instanceof CgroupMount.Unified);
        return v1 ? (v2 ? Kind.HYBRID : Kind.V1) : (v2 ? Kind.UNIFIED : Kind.NONE);
    }

    /** The layout this process sees; NONE when /proc/self/mountinfo cannot be read. */
    public static CgroupLayout readOwn() {
        return of(MountInfo.readOwn());
    }

    /** The layout a mountinfo file describes. */
    public static CgroupLayout parse(String mountinfo) {
        return of(MountInfo.parse(mountinfo.lines().toList()));
    }

    public static CgroupLayout of(List<MountInfo> table) {
        List<CgroupMount> mounts = new ArrayList<>();
        for (MountInfo mount : table) {
            boolean readOnly = mount.options().contains("ro") || mount.superOptions().contains("ro");
            Path point = Path.of(mount.mountPoint());
            switch (mount.fstype()) {
                case "cgroup" -> mounts.add(new CgroupMount.V1(point, mount.root(), readOnly,
                        mount.superOptions().stream().filter(o -> !o.equals("rw") && !o.equals("ro")).toList()));
                case "cgroup2" -> mounts.add(new CgroupMount.Unified(point, mount.root(), readOnly));
                default -> { }
            }
        }
        return new CgroupLayout(mounts);
    }

    /**
     * The mount through which a membership's hierarchy is reached, when it is mounted here at all: a writable one
     * first, then the one showing most of the hierarchy (the shortest root), then the first mounted.
     */
    public Optional<CgroupMount> mountOf(Membership membership) {
        return mounts.stream()
                .filter(m -> switch (m) {
                    case CgroupMount.Unified _ -> membership.unified();
                    case CgroupMount.V1 v1 -> !membership.unified() && v1.holds(membership.controllers());
                })
                .min(Comparator.comparing(CgroupMount::readOnly).thenComparingInt(m -> m.root().length()));
    }
}
