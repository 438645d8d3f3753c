package dev.jrun.lifecycle;

import static dev.jrun.plan.LinuxConstants.*;

import dev.jrun.plan.MountOptions;
import dev.jrun.spec.host.MountInfo;
import java.io.IOException;
import java.nio.file.Path;

/** Facts from this process's mount table that the planner needs. */
final class MountTable {
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
}
