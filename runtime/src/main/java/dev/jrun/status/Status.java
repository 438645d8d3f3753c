package dev.jrun.status;

import java.util.Locale;

/**
 * The OCI container states (runtime.md "State"), and runc's "paused": the OCI state has no such status, but runc
 * reports it while the container's cgroup is frozen, and podman and containerd read it. Which verb each allows is
 * {@link Verb}'s.
 */
public enum Status {
    CREATING,
    CREATED,
    RUNNING,
    /** Its init is alive and its cgroup frozen (`pause`), whether it was created or running before. */
    PAUSED,
    STOPPED;

    /** The name the OCI state JSON uses. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
