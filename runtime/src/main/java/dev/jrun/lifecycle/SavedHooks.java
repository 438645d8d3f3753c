package dev.jrun.lifecycle;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.jrun.error.JrunException;
import dev.jrun.spec.model.Hooks;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The hooks of a created container, read from the spec copy create kept ({@link ContainerSpec}): start and delete run
 * the ones of their points from what the container was created with, not from a bundle edited since.
 */
final class SavedHooks {
    private static final ObjectMapper JSON = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private SavedHooks() {}

    /** The hooks section, or null when there is none (or no copy: a container of an older jrun, or a create killed early). */
    static Hooks of(Path stateDirectory, String id) {
        try {
            JsonNode hooks = ContainerSpec.load(stateDirectory, id).get("hooks");
            return hooks == null || hooks.isNull() ? null : JSON.treeToValue(hooks, Hooks.class);
        } catch (JrunException | java.io.IOException e) {
            return null;
        }
    }

    /**
     * How much longer than usual start may wait for the exec: the startContainer hooks run before it, each up to its
     * timeout; a hook without one may run as long as it likes, as the spec allows, so start then waits for a day.
     */
    static Duration startContainerAllowance(Hooks hooks) {
        Duration allowance = Duration.ZERO;
        if (hooks != null) {
            for (Hooks.Hook hook : hooks.startContainer()) {
                allowance = allowance.plus(hook.timeout() == null ? Duration.ofDays(1) : Duration.ofSeconds(hook.timeout()));
            }
        }
        return allowance;
    }
}
