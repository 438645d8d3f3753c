package dev.jrun.spec.schema;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jrun.spec.problem.Problem;
import dev.jrun.spec.source.JsonPointers;
import dev.jrun.spec.source.SourceDocument;
import dev.jrun.spec.source.SpecFormat;
import dev.jrun.spec.source.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.everit.json.schema.ArraySchema;
import org.everit.json.schema.BooleanSchema;
import org.everit.json.schema.CombinedSchema;
import org.everit.json.schema.EnumSchema;
import org.everit.json.schema.NullSchema;
import org.everit.json.schema.NumberSchema;
import org.everit.json.schema.ObjectSchema;
import org.everit.json.schema.Schema;
import org.everit.json.schema.StringSchema;
import org.everit.json.schema.ValidationException;
import org.everit.json.schema.Validator;
import org.everit.json.schema.loader.SchemaLoader;
import org.json.JSONObject;

/**
 * Checks a document against jrun's JSON Schema (everit, draft-07) and turns every violation
 * into a {@link Problem} with a pointer, what was expected and what was found.
 */
public final class SchemaValidator {
    private static final Set<String> COMBINING_KEYWORDS = Set.of("anyOf", "oneOf");
    private static final Pattern REQUIRED_KEY = Pattern.compile("required key \\[(.*)] not found");
    private static final Pattern EXTRA_KEY = Pattern.compile("extraneous key \\[(.*)] is not permitted");

    private final Schema schema;

    private SchemaValidator(Schema schema) {
        this.schema = schema;
    }

    /**
     * jrun's schema, compiled once per JVM: compiling costs 10-15 ms, which the warm server would otherwise pay on
     * every create (docs/benchmarks.md). The compiled schema is only read once loaded, so threads share it.
     */
    public static SchemaValidator load() {
        return Compiled.SCHEMA;
    }

    private static final class Compiled {
        static final SchemaValidator SCHEMA = new SchemaValidator(
                SchemaLoader.builder().schemaJson(new JSONObject(JsonSchemaResource.text())).draftV7Support().build().load().build());
    }

    public List<Problem> validate(SourceDocument document) {
        List<Problem> problems = new ArrayList<>();
        try {
            // A validator per call: it is cheap, and nothing of one validation can then reach another thread's.
            Validator.builder().build().performValidation(schema, JsonTrees.toOrgJson(document.tree()));
        } catch (ValidationException e) {
            collect(e, document, problems);
        }
        return problems;
    }

    private static void collect(ValidationException e, SourceDocument document, List<Problem> out) {
        boolean combining = e.getKeyword() != null && COMBINING_KEYWORDS.contains(e.getKeyword());
        if (e.getCausingExceptions().isEmpty() || combining) {
            out.add(toProblem(e, document));
            return;
        }
        for (ValidationException cause : e.getCausingExceptions()) {
            collect(cause, document, out);
        }
    }

    private static Problem toProblem(ValidationException e, SourceDocument document) {
        String pointer = pointerOf(e);
        String keyword = e.getKeyword() == null ? "invalid" : e.getKeyword();
        JsonNode found = document.at(pointer);
        Schema violated = e.getViolatedSchema();
        String rule = "schema." + keyword;
        return switch (keyword) {
            case "required" -> {
                Matcher m = REQUIRED_KEY.matcher(e.getErrorMessage());
                String key = m.find() ? m.group(1) : "?";
                yield Problem.error(rule, JsonPointers.child(pointer, key),
                        "required key \"" + key + "\" is missing", "key \"" + key + "\"", "nothing");
            }
            case "additionalProperties" -> {
                Matcher m = EXTRA_KEY.matcher(e.getErrorMessage());
                String key = m.find() ? m.group(1) : "?";
                String known = violated instanceof ObjectSchema object
                        ? String.join(", ", new java.util.TreeSet<>(object.getPropertySchemas().keySet())) : null;
                yield Problem.error(rule, JsonPointers.child(pointer, key),
                        "unknown key \"" + key + "\" (jrun's own sections are strict: a misspelt setting is an error, not ignored)",
                        known == null ? null : "one of " + known, "\"" + key + "\"");
            }
            case "type" -> {
                String expected = expectedType(violated);
                String message = "wrong type" + yamlHint(document, expected, found);
                yield Problem.error(rule, pointer, message, expected, Values.typeOf(found) + " " + Values.brief(found));
            }
            case "enum", "const" -> Problem.error(rule, pointer, "not an allowed value",
                    violated instanceof EnumSchema en ? "one of " + listValues(en) : e.getErrorMessage(), Values.brief(found));
            case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum" ->
                    Problem.error(rule, pointer, "out of range" + reason(violated), range(violated), Values.brief(found));
            case "pattern" -> Problem.error(rule, pointer, "does not have the expected form",
                    describe(violated, "a string matching " + patternOf(violated)), Values.brief(found));
            case "minLength", "maxLength" -> Problem.error(rule, pointer, "wrong length", lengthOf(violated), Values.brief(found));
            case "minItems", "maxItems" -> Problem.error(rule, pointer, "wrong number of items", itemsOf(violated), Values.brief(found));
            case "uniqueItems" -> Problem.error(rule, pointer, "list holds the same item twice", "unique items", Values.brief(found));
            case "anyOf", "oneOf" -> Problem.error(rule, pointer, "matches none of the allowed forms",
                    e.getCausingExceptions().stream().map(ValidationException::getErrorMessage).distinct()
                            .collect(Collectors.joining(" | ")), Values.brief(found));
            case "not" -> Problem.error(rule, pointer, "this value is not allowed here", describe(violated, null), Values.brief(found));
            default -> Problem.error(rule, pointer, e.getErrorMessage(), describe(violated, null), Values.brief(found));
        };
    }

    /** everit writes "#/a/b"; we use plain RFC 6901 "/a/b". */
    private static String pointerOf(ValidationException e) {
        String raw = e.getPointerToViolation();
        if (raw == null || raw.equals("#")) {
            return "";
        }
        return raw.startsWith("#") ? raw.substring(1) : raw;
    }

    private static String expectedType(Schema schema) {
        return switch (schema) {
            case StringSchema s -> "a string";
            case NumberSchema n -> n.requiresInteger() ? "an integer" : "a number";
            case BooleanSchema b -> "a boolean (true or false)";
            case ObjectSchema o -> "an object";
            case ArraySchema a -> "a list";
            case NullSchema n -> "null";
            case CombinedSchema c -> c.getSubschemas().stream().map(SchemaValidator::expectedType)
                    .distinct().collect(Collectors.joining(" or "));
            case null, default -> "another type";
        };
    }

    /** YAML reads unquoted yes/no/1.0 as non-strings; say how to fix that. */
    private static String yamlHint(SourceDocument document, String expected, JsonNode found) {
        if (document.format() == SpecFormat.YAML && "a string".equals(expected) && found.isValueNode() && !found.isTextual()) {
            return "; YAML read this unquoted value as " + Values.typeOf(found) + " — put it in quotes";
        }
        return "";
    }

    private static String listValues(EnumSchema schema) {
        return schema.getPossibleValuesAsList().stream()
                .map(v -> v instanceof String s ? s : String.valueOf(v))
                .collect(Collectors.joining(", "));
    }

    private static String range(Schema schema) {
        if (schema instanceof NumberSchema n) {
            String kind = n.requiresInteger() ? "an integer" : "a number";
            Number min = n.getMinimum() != null ? n.getMinimum() : n.getExclusiveMinimumLimit();
            Number max = n.getMaximum() != null ? n.getMaximum() : n.getExclusiveMaximumLimit();
            if (min != null && max != null) {
                return kind + " from " + min + " to " + max;
            }
            if (min != null) {
                return kind + " ≥ " + min;
            }
            if (max != null) {
                return kind + " ≤ " + max;
            }
        }
        return null;
    }

    private static String patternOf(Schema schema) {
        return schema instanceof StringSchema s && s.getPattern() != null ? s.getPattern().pattern() : "?";
    }

    private static String lengthOf(Schema schema) {
        if (schema instanceof StringSchema s) {
            return "a string of " + (s.getMinLength() == null ? 0 : s.getMinLength()) + " to "
                    + (s.getMaxLength() == null ? "any number of" : s.getMaxLength()) + " characters";
        }
        return null;
    }

    private static String itemsOf(Schema schema) {
        if (schema instanceof ArraySchema a) {
            return (a.getMinItems() == null ? 0 : a.getMinItems()) + " to "
                    + (a.getMaxItems() == null ? "any number of" : a.getMaxItems()) + " items";
        }
        return null;
    }

    /** A range's description says why the range is what it is (e.g. why ids stop at 2^31-1); "" when it has none. */
    private static String reason(Schema schema) {
        String description = describe(schema, null);
        return description == null ? "" : ": " + description;
    }

    /** The schema's own description says best what is expected; the technical form follows in brackets. */
    private static String describe(Schema schema, String technical) {
        if (schema != null && schema.getDescription() != null && !schema.getDescription().isBlank()) {
            String description = schema.getDescription().strip();
            if (description.endsWith(".")) {
                description = description.substring(0, description.length() - 1);
            }
            return technical == null ? description : description + " [" + technical + "]";
        }
        return technical;
    }
}
