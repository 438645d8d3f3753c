package dev.jrun.spec.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jrun.spec.model.Spec;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The record model and the JSON Schema describe the same document: every record component has
 * a property of the same JSON name at the same place in the schema, or a value silently never
 * reaches the runtime (or a typo warning fires on a key jrun actually reads).
 */
class SchemaMatchesModelTest {
    private final JsonNode schema = readSchema();

    @Test
    void everyModelFieldIsInTheSchema() {
        List<String> missing = new ArrayList<>();
        walk(Spec.class, schema, "", missing);
        assertEquals(List.of(), missing, "model fields the schema does not describe");
    }

    private void walk(Class<?> record, JsonNode at, String pointer, List<String> missing) {
        JsonNode object = resolve(at);
        for (RecordComponent component : record.getRecordComponents()) {
            String name = jsonName(component);
            JsonNode property = object.path("properties").path(name);
            if (property.isMissingNode()) {
                missing.add(pointer + "/" + name);
                continue;
            }
            follow(component.getGenericType(), property, pointer + "/" + name, missing);
        }
    }

    private void follow(Type type, JsonNode at, String pointer, List<String> missing) {
        if (type instanceof Class<?> cls && cls.isRecord()) {
            walk(cls, at, pointer, missing);
        } else if (type instanceof ParameterizedType generic) {
            Type raw = generic.getRawType();
            Type[] args = generic.getActualTypeArguments();
            if (raw == List.class) {
                follow(args[0], resolve(at).path("items"), pointer + "/*", missing);
            } else if (raw == java.util.Map.class) {
                JsonNode map = resolve(at);
                if (map.path("additionalProperties").isObject()) {
                    follow(args[1], map.path("additionalProperties"), pointer + "/*", missing);
                } else {
                    // A map whose keys the schema lists one by one (e.g. timeOffsets: monotonic, boottime).
                    map.path("properties").properties().forEach(entry ->
                            follow(args[1], entry.getValue(), pointer + "/" + entry.getKey(), missing));
                }
            }
        }
    }

    private JsonNode resolve(JsonNode node) {
        JsonNode at = node;
        while (at.has("$ref")) {
            at = schema.at(at.get("$ref").asText().substring(1));
        }
        return at;
    }

    private static String jsonName(RecordComponent component) {
        JsonProperty renamed = component.getAnnotation(JsonProperty.class);
        if (renamed == null) {
            // Annotations on a record component land on the constructor parameter when written there.
            renamed = component.getAccessor().getAnnotation(JsonProperty.class);
        }
        return renamed != null ? renamed.value() : component.getName();
    }

    private static JsonNode readSchema() {
        try {
            return new ObjectMapper().readTree(JsonSchemaResource.text());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
