package dev.jrun.plan;

/** The places where the helper stops and Java does its part of create (docs/init-protocol.md). */
public enum SyncPoint {
    /** Java writes setgroups, uid_map and gid_map of the new user namespace. */
    IDMAP("idmap"),
    /** Java places the init in its cgroups (filled in by the cgroups work). */
    CGROUP("cgroup"),
    /** Java sets up the network (filled in by the veth work). */
    NETWORK("network"),
    /** Java runs the prestart and createRuntime hooks (docs/hooks.md). */
    HOOKS("hooks");

    private final String tag;

    SyncPoint(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }

    public static SyncPoint ofTag(String tag) {
        for (SyncPoint point : values()) {
            if (point.tag.equals(tag)) {
                return point;
            }
        }
        throw new IllegalArgumentException("unknown sync point \"" + tag + "\"");
    }
}
