package dev.jrun.status;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The operations on an existing container, each with the statuses it is allowed in (runtime.md "Lifecycle"). */
public enum Verb {
    START(EnumSet.of(Status.CREATED), ""),
    KILL(EnumSet.of(Status.CREATED, Status.RUNNING), ""),
    /** Without --force; with it, any status. */
    DELETE(EnumSet.of(Status.STOPPED), " (or use --force)");

    private final Set<Status> allowed;
    private final String hint;

    Verb(Set<Status> allowed, String hint) {
        this.allowed = allowed;
        this.hint = hint;
    }

    public boolean allows(Status status) {
        return allowed.contains(status);
    }

    public Set<Status> allowed() {
        return Set.copyOf(allowed);
    }

    /** "created or running", as an error message says what the verb needs. */
    public String needs() {
        return allowed.stream().map(Status::label).collect(Collectors.joining(" or ")) + hint;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
