package dev.jrun.lifecycle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jrun.plan.HookStates;
import java.util.Map;

/**
 * The state JSON a hook reads on its stdin (runtime.md "State"; config.md: "The state of the container MUST be
 * passed to hooks over stdin"), with the status of the point it runs at rather than a probed one: during create the
 * container is "creating" although its init is alive.
 */
final class HookState {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Stands for the pid while the text is split: no real pid has this value. */
    private static final long PID_MARK = Long.MIN_VALUE;

    /**
     * @param ociVersion  the spec's ociVersion
     * @param annotations the spec's annotations
     */
    record Identity(String ociVersion, String id, String bundle, Map<String, String> annotations) {}

    private HookState() {}

    static String of(Identity identity, String status, long pid) {
        ObjectNode json = JSON.createObjectNode();
        json.put("ociVersion", identity.ociVersion());
        json.put("id", identity.id());
        json.put("status", status);
        json.put("pid", pid);
        json.put("bundle", identity.bundle());
        ObjectNode annotations = json.putObject("annotations");
        identity.annotations().forEach(annotations::put);
        try {
            return JSON.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings always serializes", e);
        }
    }

    /** The text split where the pid goes, for the hooks the helper runs (it alone learns the pid). */
    static HookStates.Split split(Identity identity, String status) {
        String text = of(identity, status, PID_MARK);
        String mark = ":" + PID_MARK;
        int at = text.indexOf(mark);
        return new HookStates.Split(text.substring(0, at + 1), text.substring(at + mark.length()));
    }

    static HookStates forHelper(Identity identity) {
        return new HookStates(split(identity, "creating"), split(identity, "created"));
    }
}
