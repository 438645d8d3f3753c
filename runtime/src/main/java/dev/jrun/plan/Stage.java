package dev.jrun.plan;

/** The named stages of `create`, in order (the lifecycle issue's list). */
public enum Stage {
    VALIDATE("validate the spec"),
    RESERVE("reserve the container id"),
    PLAN("plan the steps"),
    SPAWN("start the helper"),
    JOIN_NAMESPACES("join existing namespaces"),
    NAMESPACES("create namespaces and the init process"),
    ID_MAPPING("write uid/gid maps"),
    CGROUPS("place the init in its cgroups"),
    NETWORK("set up the network"),
    ROOTFS("set up the root filesystem and mounts"),
    PROCESS("prepare the container process"),
    READY("wait for the init to be ready"),
    RECORD("record the created container"),
    HOOKS("run the hooks");

    private final String description;

    Stage(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
