package dev.jrun.state;

/** The OCI container states (runtime.md "State"), with the transitions each allows. */
public enum Status {
    CREATING,
    CREATED,
    RUNNING,
    STOPPED;

    /** The name the OCI state JSON uses. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public boolean canStart() {
        return this == CREATED;
    }

    public boolean canKill() {
        return this == CREATED || this == RUNNING;
    }

    public boolean canDeleteWithoutForce() {
        return this == STOPPED;
    }
}
