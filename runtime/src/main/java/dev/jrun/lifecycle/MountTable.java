package dev.jrun.lifecycle;

import static dev.jrun.plan.LinuxConstants.*;

import dev.jrun.plan.CgroupLayout;
import dev.jrun.plan.MountOptions;
import dev.jrun.spec.host.MountInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Facts from this process's mount table that the planner needs. */
final class MountTable {
    private static final String CGROUP_ROOT = "/sys/fs/cgroup";

    private MountTable() {}

    /**
     * nosuid, nodev, noexec and the atime flags of the mount that holds path: a bind remount
     * inside a user namespace must repeat them (the kernel locks them), so create keeps them.
     */
    static long lockedFlagsOf(Path path) {
        String target;
        try {
            target = path.toRealPath().toString();
        } catch (IOException e) {
            return 0;
        }
        MountInfo holder = null;
        for (MountInfo mount : MountInfo.readOwn()) {
            String point = mount.mountPoint();
            boolean contains = target.equals(point) || point.equals("/") || target.startsWith(point + "/");
            // Later and deeper mounts cover earlier ones.
            if (contains && (holder == null || point.length() >= holder.mountPoint().length())) {
                holder = mount;
            }
        }
        // mountinfo's options are mount(8)'s names: MountOptions' table reads them.
        return holder == null ? 0 : MountOptions.parse(holder.options()).flags() & LOCKED_ON_REMOUNT;
    }

    /** The host's cgroup mounts under /sys/fs/cgroup: pure v2, or v1 hierarchies plus an optional v2 tree. */
    static CgroupLayout cgroupLayout() {
        List<CgroupLayout.Hierarchy> hierarchies = new ArrayList<>();
        String unified = null;
        for (MountInfo mount : MountInfo.readOwn()) {
            String point = mount.mountPoint();
            if (point.equals(CGROUP_ROOT) && mount.fstype().equals("cgroup2")) {
                return CgroupLayout.v2();
            }
            if (!point.startsWith(CGROUP_ROOT + "/")) {
                continue;
            }
            String name = point.substring(CGROUP_ROOT.length() + 1);
            if (mount.fstype().equals("cgroup2")) {
                unified = name;
            } else if (mount.fstype().equals("cgroup")) {
                String controllers = mount.superOptions().stream().filter(o -> !o.equals("rw") && !o.equals("ro"))
                        .collect(Collectors.joining(","));
                hierarchies.add(new CgroupLayout.Hierarchy(name, controllers));
            }
        }
        return hierarchies.isEmpty() ? CgroupLayout.v2() : new CgroupLayout(false, hierarchies, unified);
    }
}
