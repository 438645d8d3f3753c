package dev.jrun.spec.source;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jrun.spec.problem.Position;
import java.nio.file.Path;
import java.util.Map;

/**
 * A parsed spec file that still knows where every value came from, so that a
 * problem found later by pointer can be reported with file:line:column.
 *
 * @param displayName    the file as the user named it
 * @param valuePositions pointer → where its value starts
 * @param keyPositions   pointer → where its key starts (objects' members only)
 */
public record SourceDocument(
        Path file,
        String displayName,
        SpecFormat format,
        JsonNode tree,
        Map<String, Position> valuePositions,
        Map<String, Position> keyPositions) {

    public SourceDocument {
        valuePositions = Map.copyOf(valuePositions);
        keyPositions = Map.copyOf(keyPositions);
    }

    /** Where the value at pointer is, or its nearest ancestor's place when the value itself is absent (a missing key). */
    public Position positionOf(String pointer) {
        String at = pointer;
        while (true) {
            Position found = valuePositions.get(at);
            if (found != null) {
                return found;
            }
            if (at.isEmpty()) {
                return null;
            }
            at = JsonPointers.parent(at);
        }
    }

    /** Where the key of the member at pointer is; falls back to its value's place. */
    public Position keyPositionOf(String pointer) {
        Position key = keyPositions.get(pointer);
        return key != null ? key : positionOf(pointer);
    }

    /** The value at pointer, or a MissingNode. */
    public JsonNode at(String pointer) {
        return tree.at(pointer);
    }
}
