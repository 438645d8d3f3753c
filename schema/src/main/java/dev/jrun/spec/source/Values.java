package dev.jrun.spec.source;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jrun.spec.problem.Printable;

/** Renders a value found in a spec briefly, for problem messages. */
public final class Values {
    private static final int MAX_TEXT = 60;

    private Values() {}

    public static String brief(JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return "nothing";
        }
        if (value.isTextual()) {
            String text = value.textValue();
            return Printable.quoted(text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) + "…" : text);
        }
        if (value.isObject()) {
            return "an object with " + value.size() + (value.size() == 1 ? " key" : " keys");
        }
        if (value.isArray()) {
            return "a list of " + value.size() + (value.size() == 1 ? " item" : " items");
        }
        return value.toString();
    }

    /** "a string", "an integer", ... — the JSON type of value in words. */
    public static String typeOf(JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return "nothing";
        }
        return switch (value.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> value.isIntegralNumber() ? "an integer" : "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case OBJECT -> "an object";
            case ARRAY -> "a list";
            default -> value.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
