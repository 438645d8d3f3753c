package dev.jrun.spec.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jrun.spec.problem.Problem;
import dev.jrun.spec.source.JsonPointers;
import dev.jrun.spec.source.SourceDocument;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The OCI spec says unknown keys are ignored, so a misspelt key ("hostnme") silently does
 * nothing. This walks the document beside the schema and warns where an unknown key is
 * within two edits of a known one at the same place.
 */
public final class KeyTypoDetector {
    private static final int MAX_EDITS = 2;

    private final JsonNode schemaRoot;

    private KeyTypoDetector(JsonNode schemaRoot) {
        this.schemaRoot = schemaRoot;
    }

    /** Parsed once per JVM (see SchemaValidator.load); the tree is only read, so threads share it. */
    public static KeyTypoDetector load() {
        return Parsed.DETECTOR;
    }

    private static final class Parsed {
        static final KeyTypoDetector DETECTOR = parse();

        private static KeyTypoDetector parse() {
            try {
                return new KeyTypoDetector(new ObjectMapper().readTree(JsonSchemaResource.text()));
            } catch (java.io.IOException e) {
                throw new IllegalStateException("jrun's schema is not valid JSON; rebuild jrun", e);
            }
        }
    }

    private record Visit(JsonNode value, JsonNode schema, String pointer) {}

    public List<Problem> detect(SourceDocument document) {
        List<Problem> warnings = new ArrayList<>();
        Deque<Visit> work = new ArrayDeque<>();
        work.push(new Visit(document.tree(), schemaRoot, ""));
        while (!work.isEmpty()) {
            Visit visit = work.pop();
            JsonNode schema = resolve(visit.schema());
            if (schema == null) {
                continue;
            }
            if (visit.value().isObject()) {
                JsonNode properties = schema.path("properties");
                JsonNode additional = schema.path("additionalProperties");
                for (Map.Entry<String, JsonNode> member : visit.value().properties()) {
                    String key = member.getKey();
                    String pointer = JsonPointers.child(visit.pointer(), key);
                    if (properties.has(key)) {
                        work.push(new Visit(member.getValue(), properties.get(key), pointer));
                    } else if (additional.isObject()) {
                        work.push(new Visit(member.getValue(), additional, pointer));
                    } else if (!additional.isBoolean() || additional.booleanValue()) {
                        // Strict sections (additionalProperties: false) get an error from the schema instead.
                        suggest(key, properties).ifPresent(known -> warnings.add(Problem.warning("typo", pointer,
                                "unknown key \"" + key + "\" is ignored; did you mean \"" + known + "\"?",
                                "\"" + known + "\"", "\"" + key + "\"")));
                    }
                }
            } else if (visit.value().isArray() && schema.has("items")) {
                int index = 0;
                for (JsonNode item : visit.value()) {
                    work.push(new Visit(item, schema.get("items"), JsonPointers.child(visit.pointer(), index++)));
                }
            }
        }
        return warnings;
    }

    /** Follows local "$ref"s ("#/definitions/x"); a chain longer than the schema is a broken schema. */
    private JsonNode resolve(JsonNode schema) {
        JsonNode at = schema;
        for (int hops = 0; at != null && at.has("$ref") && hops < 32; hops++) {
            String ref = at.get("$ref").asText();
            at = ref.startsWith("#") ? schemaRoot.at(ref.substring(1)) : null;
            if (at != null && at.isMissingNode()) {
                at = null;
            }
        }
        return at;
    }

    private static java.util.Optional<String> suggest(String key, JsonNode properties) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Iterator<String> names = properties.fieldNames(); names.hasNext(); ) {
            String known = names.next();
            int distance = known.equalsIgnoreCase(key) ? 0 : editDistance(key.toLowerCase(Locale.ROOT), known.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = known;
                bestDistance = distance;
            }
        }
        // Very short keys are within two edits of too much to be worth a guess.
        boolean plausible = bestDistance <= MAX_EDITS && (bestDistance == 0 || key.length() > 3);
        return plausible ? java.util.Optional.of(best) : java.util.Optional.empty();
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
    static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
