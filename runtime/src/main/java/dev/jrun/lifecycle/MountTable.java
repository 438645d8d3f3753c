package dev.jrun.lifecycle;

import static dev.jrun.plan.LinuxConstants.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads /proc/self/mountinfo to find the per-mount flags of the mount holding a path. */
final class MountTable {
    private MountTable() {}

    /**
     * nosuid, nodev, noexec, ro and the atime flags of the mount that holds path: a bind remount
     * inside a user namespace must repeat them (the kernel locks them), so create keeps them.
     */
    static long lockedFlagsOf(Path path) {
        String target;
        List<String> lines;
        try {
            target = path.toRealPath().toString();
            lines = Files.readAllLines(Path.of("/proc/self/mountinfo"));
        } catch (IOException e) {
            return 0;
        }
        String bestMountPoint = "";
        String bestOptions = "";
        for (String line : lines) {
            String[] fields = line.split(" ");
            if (fields.length < 6) {
                continue;
            }
            String mountPoint = unescape(fields[4]);
            boolean contains = target.equals(mountPoint) || mountPoint.equals("/") || target.startsWith(mountPoint + "/");
            if (contains && mountPoint.length() >= bestMountPoint.length()) {
                bestMountPoint = mountPoint;
                bestOptions = fields[5];
            }
        }
        long flags = 0;
        for (String option : bestOptions.split(",")) {
            flags |= switch (option) {
                case "nosuid" -> MS_NOSUID;
                case "nodev" -> MS_NODEV;
                case "noexec" -> MS_NOEXEC;
                case "noatime" -> MS_NOATIME;
                case "nodiratime" -> MS_NODIRATIME;
                case "relatime" -> MS_RELATIME;
                default -> 0L;
            };
        }
        return flags;
    }

    /** The host's cgroup mounts under /sys/fs/cgroup, as this process sees them. */
    static dev.jrun.plan.CgroupLayout cgroupLayout() {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc/self/mountinfo"));
        } catch (IOException e) {
            return dev.jrun.plan.CgroupLayout.v2();
        }
        var hierarchies = new java.util.ArrayList<dev.jrun.plan.CgroupLayout.Hierarchy>();
        String unified = null;
        boolean v2AtRoot = false;
        for (String line : lines) {
            String[] fields = line.split(" ");
            int dash = java.util.Arrays.asList(fields).indexOf("-");
            if (dash < 0 || dash + 3 >= fields.length) {
                continue;
            }
            String mountPoint = unescape(fields[4]);
            String fstype = fields[dash + 1];
            if (!mountPoint.startsWith("/sys/fs/cgroup")) {
                continue;
            }
            if (fstype.equals("cgroup2")) {
                if (mountPoint.equals("/sys/fs/cgroup")) {
                    v2AtRoot = true;
                } else {
                    unified = mountPoint.substring("/sys/fs/cgroup/".length());
                }
            } else if (fstype.equals("cgroup")) {
                String options = java.util.Arrays.stream(fields[dash + 3].split(","))
                        .filter(o -> !o.equals("rw") && !o.equals("ro")).collect(java.util.stream.Collectors.joining(","));
                hierarchies.add(new dev.jrun.plan.CgroupLayout.Hierarchy(mountPoint.substring("/sys/fs/cgroup/".length()), options));
            }
        }
        if (v2AtRoot || hierarchies.isEmpty()) {
            return dev.jrun.plan.CgroupLayout.v2();
        }
        return new dev.jrun.plan.CgroupLayout(false, hierarchies, unified);
    }

    private static String unescape(String field) {
        var out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
