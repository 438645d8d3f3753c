package dev.jrun.lifecycle;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.jrun.error.JrunException;
import dev.jrun.spec.model.Hooks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

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
     * How much longer than usual jrun may wait for the helper when it runs these hooks in the container (createContainer
     * in create, startContainer in start): each may take up to its timeout; one without may run as long as it likes, as
     * the spec allows, so jrun then waits a day, and a day at most for any (the deadlines stay far from overflowing).
     */
    static Duration allowance(List<Hooks.Hook> hooks) {
        Duration allowance = Duration.ZERO;
        for (Hooks.Hook hook : hooks) {
            Duration each = hook.timeout() == null ? MOST : Duration.ofSeconds(hook.timeout());
            allowance = allowance.plus(each.compareTo(MOST) > 0 ? MOST : each);
        }
        return allowance;
    }

    private static final Duration MOST = Duration.ofDays(1);
}
