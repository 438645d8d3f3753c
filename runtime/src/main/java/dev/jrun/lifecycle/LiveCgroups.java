package dev.jrun.lifecycle;

import dev.jrun.error.JrunException;
import dev.jrun.state.ContainerState;
import dev.jrun.state.StatusProbe;
import dev.jrun.status.Status;
import dev.jrun.sys.ProcessTable;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The cgroups of a container whose processes exist, for the verbs that act on them (update, events): refused once it
 * has stopped, as runc refuses those verbs, and for a state that records no cgroups.
 */
final class LiveCgroups {
    private LiveCgroups() {}

    /**
     * The container's cgroup directory by hierarchy name as create recorded them.
     *
     * @param verb the verb, as the refusal names it ("update", "events")
     * @param what what the verb would do to the container, for the refusals ("update its limits")
     */
    static Map<String, Path> of(ContainerState state, ProcessTable processes, String verb, String what) throws JrunException {
        Status status = new StatusProbe(processes).statusOf(state);
        if (status == Status.STOPPED || status == Status.CREATING) {
            throw new JrunException.InvalidInput("cannot " + what + " of container \"" + state.id() + "\": it is "
                    + status.label() + "; " + verb + " needs it created, running or paused");
        }
        return recorded(state).orElseThrow(() -> new JrunException.InvalidInput(noCgroups(state.id(), what + " of it")));
    }

    /** The recorded cgroups whatever the status, if the state has any. */
    private static Optional<Map<String, Path>> recorded(ContainerState state) {
        if (state.cgroups() == null || state.cgroups().directories().isEmpty()) {
            return Optional.empty();
        }
        Map<String, Path> byHierarchy = new LinkedHashMap<>();
        state.cgroups().directories().forEach(d -> byHierarchy.put(d.hierarchy(), Path.of(d.path())));
        return Optional.of(byHierarchy);
    }

    /** The refusal for a container whose state names no cgroups (its create ran a jrun without cgroup support). */
    static String noCgroups(String id, String what) {
        return "container \"" + id + "\" has no cgroups recorded in its state (it was created by a jrun without cgroup"
                + " support), so jrun cannot " + what + "; delete it and create it again";
    }
}
