package dev.jrun.status;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The operations on an existing container, each with the statuses it is allowed in (runtime.md "Lifecycle"). */
public enum Verb {
    START(EnumSet.of(Status.CREATED), ""),
    /** A paused container too, as runc: SIGKILL ends it (the kill thaws it), other signals wait until it is resumed. */
    KILL(EnumSet.of(Status.CREATED, Status.RUNNING, Status.PAUSED), ""),
    /** runc pauses a created container too: it stays paused, and created again once resumed. */
    PAUSE(EnumSet.of(Status.CREATED, Status.RUNNING), ""),
    RESUME(EnumSet.of(Status.PAUSED), ""),
    /** New limits for a container whose processes exist, paused ones too; runc refuses a stopped one. */
    UPDATE(EnumSet.of(Status.CREATED, Status.RUNNING, Status.PAUSED), ""),
    /** Resource usage: the same statuses as update. */
    EVENTS(EnumSet.of(Status.CREATED, Status.RUNNING, Status.PAUSED), ""),
    /**
     * A new process in the container: its namespaces must still exist, so created or running (as runc); a paused
     * container would freeze the process as it joins the cgroup.
     */
    EXEC(EnumSet.of(Status.CREATED, Status.RUNNING), ""),
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

    /** "created, running or paused", as an error message says what the verb needs. */
    public String needs() {
        List<String> labels = allowed.stream().map(Status::label).toList();
        String last = labels.getLast();
        return (labels.size() == 1 ? last : String.join(", ", labels.subList(0, labels.size() - 1)) + " or " + last) + hint;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
