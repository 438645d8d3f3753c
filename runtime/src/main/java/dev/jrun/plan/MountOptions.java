package dev.jrun.plan;

import static dev.jrun.plan.LinuxConstants.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The OCI mount options of one mount, translated the way mount(8) does: flags that are set or
 * cleared in order, a propagation type applied by a second mount(2) call, and everything else
 * passed to the filesystem as data ("mode=755,size=65536k").
 */
public record MountOptions(long flags, long propagation, String data, boolean copyUp) {
    /** runc's and crun's extension (podman sets it): the tmpfs starts with what the image has at its destination. */
    static final String TMPCOPYUP = "tmpcopyup";

    private static final long MS_I_VERSION = 1L << 23;

    /** option → {flag, 1 to set it or 0 to clear it}. */
    private static final Map<String, long[]> FLAGS = Map.ofEntries(
            Map.entry("async", new long[] {MS_SYNCHRONOUS, 0}),
            Map.entry("atime", new long[] {MS_NOATIME, 0}),
            Map.entry("bind", new long[] {MS_BIND, 1}),
            Map.entry("defaults", new long[] {0, 0}),
            Map.entry("dev", new long[] {MS_NODEV, 0}),
            Map.entry("diratime", new long[] {MS_NODIRATIME, 0}),
            Map.entry("dirsync", new long[] {MS_DIRSYNC, 1}),
            Map.entry("exec", new long[] {MS_NOEXEC, 0}),
            Map.entry("iversion", new long[] {MS_I_VERSION, 1}),
            Map.entry("lazytime", new long[] {MS_LAZYTIME, 1}),
            Map.entry("loud", new long[] {MS_SILENT, 0}),
            Map.entry("mand", new long[] {MS_MANDLOCK, 1}),
            Map.entry("noatime", new long[] {MS_NOATIME, 1}),
            Map.entry("nodev", new long[] {MS_NODEV, 1}),
            Map.entry("nodiratime", new long[] {MS_NODIRATIME, 1}),
            Map.entry("noexec", new long[] {MS_NOEXEC, 1}),
            Map.entry("noiversion", new long[] {MS_I_VERSION, 0}),
            Map.entry("nolazytime", new long[] {MS_LAZYTIME, 0}),
            Map.entry("nomand", new long[] {MS_MANDLOCK, 0}),
            Map.entry("norelatime", new long[] {MS_RELATIME, 0}),
            Map.entry("nostrictatime", new long[] {MS_STRICTATIME, 0}),
            Map.entry("nosuid", new long[] {MS_NOSUID, 1}),
            Map.entry("nosymfollow", new long[] {MS_NOSYMFOLLOW, 1}),
            Map.entry("rbind", new long[] {MS_BIND | MS_REC, 1}),
            Map.entry("relatime", new long[] {MS_RELATIME, 1}),
            Map.entry("remount", new long[] {MS_REMOUNT, 1}),
            Map.entry("ro", new long[] {MS_RDONLY, 1}),
            Map.entry("rw", new long[] {MS_RDONLY, 0}),
            Map.entry("silent", new long[] {MS_SILENT, 1}),
            Map.entry("strictatime", new long[] {MS_STRICTATIME, 1}),
            Map.entry("suid", new long[] {MS_NOSUID, 0}),
            Map.entry("sync", new long[] {MS_SYNCHRONOUS, 1}));

    private static final Map<String, Long> PROPAGATION = Map.of(
            "private", MS_PRIVATE, "rprivate", MS_PRIVATE | MS_REC,
            "shared", MS_SHARED, "rshared", MS_SHARED | MS_REC,
            "slave", MS_SLAVE, "rslave", MS_SLAVE | MS_REC,
            "unbindable", MS_UNBINDABLE, "runbindable", MS_UNBINDABLE | MS_REC);

    /** Every option jrun applies itself (flags, propagation, tmpcopyup), sorted; anything else is filesystem data. */
    public static List<String> names() {
        var names = new java.util.TreeSet<>(FLAGS.keySet());
        names.addAll(PROPAGATION.keySet());
        names.add(TMPCOPYUP);
        return List.copyOf(names);
    }

    public static MountOptions parse(List<String> options) {
        long flags = 0;
        long propagation = 0;
        List<String> data = new ArrayList<>();
        boolean copyUp = false;
        for (String option : options) {
            long[] flag = FLAGS.get(option);
            Long type = PROPAGATION.get(option);
            if (flag != null) {
                flags = flag[1] == 1 ? flags | flag[0] : flags & ~flag[0];
            } else if (type != null) {
                propagation = type;
            } else if (option.equals(TMPCOPYUP)) {
                copyUp = true;
            } else {
                data.add(option);
            }
        }
        return new MountOptions(flags, propagation, String.join(",", data), copyUp);
    }

    /** The propagation flags of a rootfsPropagation value such as "rslave"; 0 for null. */
    public static long propagationOf(String name) {
        if (name == null) {
            return 0;
        }
        Long type = PROPAGATION.get(name);
        if (type == null) {
            throw new IllegalArgumentException("unknown propagation \"" + name + "\"");
        }
        return type;
    }

    public boolean isBind() {
        return (flags & MS_BIND) != 0;
    }
}
