package dev.jrun.lifecycle;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jrun.error.JrunException;
import dev.jrun.state.ContainerState;
import dev.jrun.state.StateStore;
import dev.jrun.status.Status;
import dev.jrun.state.StatusProbe;
import dev.jrun.sys.ProcessTable;

/** `state`: the OCI state JSON (runtime.md "State"), plus runc's "rootfs" and "created". */
public final class StateReport {
    private final StateStore store;
    private final ProcessTable processes;

    public StateReport(StateStore store, ProcessTable processes) {
        this.store = store;
        this.processes = processes;
    }

    public ObjectNode of(String id) throws JrunException {
        return render(store.read(id));
    }

    ObjectNode render(ContainerState state) {
        Status status = new StatusProbe(processes).statusOf(state);
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("ociVersion", state.ociVersion());
        json.put("id", state.id());
        json.put("status", status.label());
        // runtime.md: pid is required when created or running; runc reports 0 once stopped.
        json.put("pid", status == Status.STOPPED || status == Status.CREATING && state.pid() == 0 ? 0 : state.pid());
        json.put("bundle", state.bundle());
        json.put("rootfs", state.rootfs());
        json.put("created", state.created());
        json.put("owner", "");
        ObjectNode annotations = json.putObject("annotations");
        state.annotations().forEach(annotations::put);
        return json;
    }
}
