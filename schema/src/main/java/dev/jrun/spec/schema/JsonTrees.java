package dev.jrun.spec.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import org.json.JSONArray;
import org.json.JSONObject;

/** Converts a Jackson tree into the org.json tree everit validates, iteratively so that depth never costs stack. */
final class JsonTrees {
    private JsonTrees() {}

    /** A container already placed in the result whose members are still to be copied. */
    private record Pending(JsonNode from, Object into) {}

    static JSONObject toOrgJson(JsonNode root) {
        JSONObject result = new JSONObject();
        Deque<Pending> work = new ArrayDeque<>();
        work.push(new Pending(root, result));
        while (!work.isEmpty()) {
            Pending next = work.pop();
            if (next.into() instanceof JSONObject object) {
                for (Map.Entry<String, JsonNode> member : next.from().properties()) {
                    object.put(member.getKey(), convert(member.getValue(), work));
                }
            } else {
                JSONArray array = (JSONArray) next.into();
                for (JsonNode item : next.from()) {
                    array.put(convert(item, work));
                }
            }
        }
        return result;
    }

    /** Scalars convert at once; containers are returned empty and queued to be filled. */
    private static Object convert(JsonNode value, Deque<Pending> work) {
        if (value.isObject() || value.isArray()) {
            Object container = value.isObject() ? new JSONObject() : new JSONArray();
            work.push(new Pending(value, container));
            return container;
        }
        if (value.isNull()) {
            return JSONObject.NULL;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isIntegralNumber()) {
            return value.canConvertToLong() ? (Object) value.longValue() : value.bigIntegerValue();
        }
        if (value.isNumber()) {
            return value.decimalValue();
        }
        return value.asText();
    }
}
