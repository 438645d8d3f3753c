package dev.jrun.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Optional;

/**
 * The state of a container as the runtime's {@code state ID} prints it (runtime.md, State).
 *
 * @param json the whole document, for the tests of its fields
 */
record State(JsonNode json) {
    /** The state in this result, or empty when the command failed (the container does not exist). */
    static Optional<State> from(RuntimeUnderTest.Result result) {
        if (!result.succeeded()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new State(new ObjectMapper().readTree(result.out())));
        } catch (IOException e) {
            throw new AssertionError("state succeeded but did not print JSON: " + result.out(), e);
        }
    }

    String status() {
        return json.path("status").asText("");
    }

    long pid() {
        return json.path("pid").asLong(0);
    }

    String bundle() {
        return json.path("bundle").asText("");
    }
}
