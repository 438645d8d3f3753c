package dev.jrun.status;

import java.util.Locale;

/** The OCI container states (runtime.md "State"). Which verb each allows is {@link Verb}'s. */
public enum Status {
    CREATING,
    CREATED,
    RUNNING,
    STOPPED;

    /** The name the OCI state JSON uses. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
