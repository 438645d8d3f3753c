package dev.jrun.plan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which labelling security modules the host has enabled, read once from sysfs: a spec's AppArmor profile or SELinux
 * label is applied when its module is, and only warned about when it is not (runc tolerates them then too).
 *
 * @param apparmor    /sys/module/apparmor/parameters/enabled says Y
 * @param selinux     selinuxfs is mounted at /sys/fs/selinux
 * @param apparmorExec the file a task writes "exec PROFILE" to: the AppArmor-specific one where the kernel has it (5.8+)
 */
record HostLsm(boolean apparmor, boolean selinux, String apparmorExec) {
    private static volatile HostLsm current;

    static HostLsm current() {
        HostLsm lsm = current;
        if (lsm == null) {
            current = lsm = probe();
        }
        return lsm;
    }

    private static HostLsm probe() {
        boolean apparmor;
        try {
            apparmor = Files.readString(Path.of("/sys/module/apparmor/parameters/enabled")).strip().equals("Y");
        } catch (IOException e) {
            apparmor = false;
        }
        boolean selinux = Files.exists(Path.of("/sys/fs/selinux/enforce"));
        String exec = Files.exists(Path.of("/proc/self/attr/apparmor/exec")) ? "/proc/self/attr/apparmor/exec" : "/proc/self/attr/exec";
        return new HostLsm(apparmor, selinux, exec);
    }
}
