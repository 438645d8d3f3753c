package dev.jrun.spec.validation;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.jrun.spec.model.Spec;

/** Binds a schema-valid tree into the record model; unknown keys are ignored as the OCI spec requires. */
final class SpecBinder {
    private final ObjectMapper mapper = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    Spec bind(JsonNode tree) throws com.fasterxml.jackson.core.JsonProcessingException {
        return mapper.treeToValue(tree, Spec.class);
    }
}
