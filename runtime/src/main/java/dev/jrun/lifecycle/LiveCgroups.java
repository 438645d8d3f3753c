package dev.jrun.lifecycle;

import dev.jrun.error.JrunException;
import dev.jrun.state.ContainerState;
import dev.jrun.state.StatusProbe;
import dev.jrun.status.Verb;
import dev.jrun.sys.ProcessTable;
import java.nio.file.Path;
import java.util.Map;

/**
 * The cgroups of a container whose processes exist, for the verbs that act on them (update, events): refused once it
 * has stopped, as runc refuses those verbs, and for a state that records no cgroups.
 */
final class LiveCgroups {
    private LiveCgroups() {}

    /**
     * The container's cgroup directory by hierarchy name as create recorded them.
     *
     * @param verb the verb, whose statuses {@link Verb} holds
     * @param what what the verb would do to the container, for the refusal of a state without cgroups
     */
    static Map<String, Path> of(ContainerState state, ProcessTable processes, Verb verb, String what) throws JrunException {
        new StatusProbe(processes).require(state, verb);
        if (state.cgroups() == null || state.cgroups().directories().isEmpty()) {
            throw new JrunException.InvalidInput(noCgroups(state.id(), what + " of it"));
        }
        return state.cgroups().byHierarchy();
    }

    /** The refusal for a container whose state names no cgroups (a rootless create skipped them, or an old jrun made it). */
    static String noCgroups(String id, String what) {
        return "container \"" + id + "\" has no cgroups recorded in its state (it was created rootless by a user who may"
                + " make no cgroups, docs/rootless.md, or by a jrun without cgroup support), so jrun cannot " + what;
    }
}
