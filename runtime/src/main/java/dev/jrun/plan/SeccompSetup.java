package dev.jrun.plan;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.jrun.seccomp.FilterFlag;
import dev.jrun.seccomp.SeccompFilter;
import dev.jrun.spec.model.Spec;
import java.util.HexFormat;
import java.util.Map;

/**
 * A container's compiled filter and, when it notifies a seccomp agent, the container process state the helper sends
 * the agent with the listener (runtime.md, "Container process state").
 *
 * @param agentState the state's JSON text, each U+0001 standing for the pid the helper fills in; "" without an agent
 */
record SeccompSetup(SeccompFilter filter, String agentState) {
    /** What jrun-init writes for the pid (JSON text never holds a raw control character). */
    static final char PID = '\u0001';

    /** The state of a container being created (runc's status then: creating). */
    static SeccompSetup of(SeccompFilter filter, Spec spec, String id, String bundle, String status) {
        if (!filter.notifies()) {
            return new SeccompSetup(filter, "");
        }
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode state = nodes.objectNode();
        state.put("ociVersion", spec.ociVersion());
        state.put("id", id);
        state.put("status", status);
        state.putRawValue("pid", new RawValue(String.valueOf(PID)));
        state.put("bundle", bundle);
        ObjectNode annotations = state.putObject("annotations");
        Map<String, String> specAnnotations = spec.annotations() == null ? Map.of() : spec.annotations();
        specAnnotations.forEach(annotations::put);
        ObjectNode message = nodes.objectNode();
        message.put("ociVersion", spec.ociVersion());
        message.putArray("fds").add("seccompFd");
        message.putRawValue("pid", new RawValue(String.valueOf(PID)));
        String metadata = spec.linux().seccomp().listenerMetadata();
        if (metadata != null && !metadata.isEmpty()) {
            message.put("metadata", metadata);
        }
        message.set("state", state);
        return new SeccompSetup(filter, message.toString());
    }

    boolean notifies() {
        return !agentState.isEmpty();
    }

    Step.Seccomp load() {
        return new Step.Seccomp(filter.flags(), HexFormat.of().formatHex(filter.program()), agentState);
    }

    boolean hasListenerFlag() {
        return (filter.flags() & FilterFlag.NEW_LISTENER) != 0;
    }
}
