package dev.jrun.spec.schema;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jrun.spec.problem.Printable;
import dev.jrun.spec.problem.Problem;
import dev.jrun.spec.source.JsonPointers;
import dev.jrun.spec.source.SourceDocument;
import dev.jrun.spec.source.Values;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * No string or key in a spec may hold a NUL character (U+0000). The reader refuses raw NUL bytes, but
 * JSON's and YAML's escapes write one into a string, and the kernel reads every string it gets (a path,
 * an argument, an environment entry, a name) only up to the first NUL: "/bin/sh", NUL, "x" as one argument
 * would run /bin/sh, or fail deep in the runtime with no pointer. One rule over the whole tree, every value and
 * every key, so that no field, present or future, is forgotten.
 */
public final class NulCharacterRule {
    public static final String RULE = "nul";

    private static final String EXPECTED = "text without NUL characters";

    private record Visit(JsonNode value, String pointer) {}

    /** Every NUL found, already located: a key's problem points at the key, a value's at the value. */
    public List<Problem> check(SourceDocument document) {
        List<Problem> problems = new ArrayList<>();
        Deque<Visit> work = new ArrayDeque<>();
        work.push(new Visit(document.tree(), ""));
        while (!work.isEmpty()) {
            Visit visit = work.pop();
            JsonNode value = visit.value();
            if (value.isObject()) {
                for (Map.Entry<String, JsonNode> member : value.properties()) {
                    String pointer = JsonPointers.child(visit.pointer(), member.getKey());
                    if (hasNul(member.getKey())) {
                        problems.add(Problem.error(RULE, pointer, "the key holds a NUL character at offset " + member.getKey().indexOf('\0')
                                        + "; the kernel would read only the text before it", EXPECTED, Printable.quoted(member.getKey()))
                                .locatedAt(document.displayName(), document.keyPositionOf(pointer)));
                    }
                    work.push(new Visit(member.getValue(), pointer));
                }
            } else if (value.isArray()) {
                int index = 0;
                for (JsonNode item : value) {
                    work.push(new Visit(item, JsonPointers.child(visit.pointer(), index++)));
                }
            } else if (value.isTextual() && hasNul(value.textValue())) {
                problems.add(Problem.error(RULE, visit.pointer(), "the string holds a NUL character at offset " + value.textValue().indexOf('\0')
                                + "; the kernel would read only the text before it", EXPECTED, Values.brief(value))
                        .locatedAt(document.displayName(), document.positionOf(visit.pointer())));
            }
        }
        return problems;
    }

    private static boolean hasNul(String text) {
        return text.indexOf('\0') >= 0;
    }
}
