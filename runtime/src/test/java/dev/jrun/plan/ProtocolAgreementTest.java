package dev.jrun.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The protocol is written down three times: {@link Op} and {@link PlanFormat} (Java), jrun-init's C sources
 * (the {@code OP_*} enum, the {@code ops[]} table, the {@code #define}s) and docs/init-protocol.md (the
 * "Steps" and limits tables). This test reads the C and the Markdown as text and fails on any
 * disagreement, naming it; no compiler, root or kernel needed.
 */
class ProtocolAgreementTest {
    private static final Path REPO = Path.of(System.getProperty("jrun.repo", "..")).toAbsolutePath().normalize();
    private static final Path C_SOURCES = REPO.resolve("runtime/src/main/c");
    private static final Path DOC = REPO.resolve("docs/init-protocol.md");

    /** An operation as one of the three sources states it. */
    record Entry(int code, String name, String signature) {}

    @Test
    void theCHelperKnowsExactlyTheJavaOperations() throws IOException {
        assertAgree(cOps(cSource()), "jrun-init's OP_* values and ops[] table");
    }

    @Test
    void theDocumentedStepsAreExactlyTheJavaOperations() throws IOException {
        assertAgree(docOps(Files.readString(DOC)), "the \"## Steps\" table of docs/init-protocol.md");
    }

    @Test
    void theCHelperHasTheJavaLimitsVersionAndMagic() throws IOException {
        String c = cSource();
        for (PlanFormat.Limit limit : PlanFormat.Limit.values()) {
            assertEquals(limit.value(), cDefine(c, limit.name()), "#define " + limit.name());
        }
        assertEquals(PlanFormat.VERSION, cDefine(c, "PLAN_VERSION"), "#define PLAN_VERSION");
        Matcher magic = Pattern.compile("#define\\s+PLAN_MAGIC\\s+\"([^\"]*)\"").matcher(c);
        assertTrue(magic.find(), "no #define PLAN_MAGIC in " + C_SOURCES);
        assertEquals(PlanFormat.MAGIC, magic.group(1), "#define PLAN_MAGIC");
    }

    @Test
    void theDocumentHasTheJavaLimitsAndVersion() throws IOException {
        String doc = Files.readString(DOC);
        Map<String, Integer> documented = new TreeMap<>();
        Matcher row = Pattern.compile("(?m)^\\|\\s*`(MAX_[A-Z_]+)`\\s*\\|\\s*(\\d+)\\s*\\|").matcher(doc);
        while (row.find()) {
            documented.put(row.group(1), Integer.parseInt(row.group(2)));
        }
        Map<String, Integer> declared = new TreeMap<>();
        for (PlanFormat.Limit limit : PlanFormat.Limit.values()) {
            declared.put(limit.name(), limit.value());
        }
        assertEquals(declared, documented, "the limits table of docs/init-protocol.md against PlanFormat.Limit");
        assertTrue(doc.lines().findFirst().orElse("").endsWith("(version " + PlanFormat.VERSION + ")"), "the title's version");
        assertTrue(doc.contains("u32 version (= " + PlanFormat.VERSION + ")"), "the encoding's version");
    }

    /** Every Step record names one operation, every operation has one record, and its arguments fit the signature. */
    @Test
    void everyStepRecordEncodesItsOperationsSignature() throws ReflectiveOperationException {
        Map<Op, String> recordOf = new EnumMap<>(Op.class);
        for (Class<?> type : Step.class.getPermittedSubclasses()) {
            Step sample = sample(type);
            String other = recordOf.put(sample.op(), type.getSimpleName());
            assertEquals(null, other, "both " + other + " and " + type.getSimpleName() + " claim " + sample.op());
            List<Object> args = PlanEncoder.arguments(sample);
            assertTrue(sample.op().accepts(args), type.getSimpleName() + " encodes " + args + ", not " + sample.op().signature());
        }
        assertEquals(List.of(Op.values()), List.copyOf(recordOf.keySet()), "operations without a Step record");
    }

    @Test
    void opcodesAndNamesAreUnique() {
        assertEquals(Op.values().length, Stream.of(Op.values()).mapToInt(Op::code).distinct().count());
        for (Op op : Op.values()) {
            assertEquals(op, Op.ofCode(op.code()));
            assertTrue(op.signature().matches("[si]*([si]\\*)?"), op + ": signature " + op.signature());
        }
    }

    @Test
    void signaturesAcceptOnlyTheirShape() {
        assertTrue(Op.EXEC.accepts(List.of("", 0L)));
        assertTrue(Op.EXEC.accepts(List.of("", 1L, "sh", "PATH=/bin")));
        assertFalse(Op.EXEC.accepts(List.of("", 1L, 2L)));
        assertFalse(Op.EXEC.accepts(List.of("")));
        assertTrue(Op.SETGROUPS.accepts(List.of()));
        assertFalse(Op.MOUNT.accepts(List.of("", "", "", 0L, "", "")));
        assertFalse(Op.READY.accepts(List.of(1L)));
    }

    /** One line per disagreement, so that a failure says what to fix, not two 37-entry maps. */
    private static void assertAgree(Map<Integer, Entry> other, String where) {
        Map<Integer, Entry> java = javaOps();
        List<String> problems = new ArrayList<>();
        java.forEach((code, entry) -> {
            Entry theirs = other.get(code);
            if (theirs == null) {
                problems.add("opcode " + code + " (" + entry.name() + "): missing from " + where);
            } else if (!theirs.equals(entry)) {
                problems.add("opcode " + code + ": dev.jrun.plan.Op says " + entry.name() + " \"" + entry.signature() + "\", " + where
                        + " says " + theirs.name() + " \"" + theirs.signature() + "\"");
            }
        });
        other.forEach((code, entry) -> {
            if (!java.containsKey(code)) {
                problems.add("opcode " + code + " (" + entry.name() + "): in " + where + " but not in dev.jrun.plan.Op");
            }
        });
        if (!problems.isEmpty()) {
            fail(String.join("\n", problems));
        }
    }

    // ---- the three readings ------------------------------------------------------------------

    private static Map<Integer, Entry> javaOps() {
        Map<Integer, Entry> ops = new TreeMap<>();
        for (Op op : Op.values()) {
            ops.put(op.code(), new Entry(op.code(), op.protocolName(), op.signature()));
        }
        return ops;
    }

    private static String cSource() throws IOException {
        var text = new StringBuilder();
        try (Stream<Path> files = Files.list(C_SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".c") || f.toString().endsWith(".h")).sorted().toList()) {
                text.append(Files.readString(file)).append('\n');
            }
        }
        // Comments may mention OP_ names or ops[] shapes; only code counts.
        return text.toString().replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\n]*", "");
    }

    /** {@code OP_NAME = N} in the enum, and {@code [OP_NAME] = { "NAME", "sig", fn }} in ops[]. */
    static Map<Integer, Entry> cOps(String c) {
        Map<String, Integer> codes = new TreeMap<>();
        Matcher value = Pattern.compile("\\bOP_([A-Z_]+)\\s*=\\s*(\\d+)").matcher(c);
        while (value.find()) {
            codes.put(value.group(1), Integer.parseInt(value.group(2)));
        }
        Map<Integer, Entry> ops = new TreeMap<>();
        Matcher row = Pattern.compile("\\[\\s*OP_([A-Z_]+)\\s*]\\s*=\\s*\\{\\s*\"([^\"]*)\"\\s*,\\s*\"([^\"]*)\"\\s*,\\s*\\w+\\s*}").matcher(c);
        while (row.find()) {
            Integer code = codes.get(row.group(1));
            if (code == null) {
                fail("ops[] has [OP_" + row.group(1) + "] but the enum gives OP_" + row.group(1) + " no explicit value");
            }
            assertEquals("OP_" + row.group(2), "OP_" + row.group(1), "ops[] names OP_" + row.group(1) + " \"" + row.group(2) + "\"");
            if (ops.put(code, new Entry(code, row.group(2), row.group(3))) != null) {
                fail("ops[] has opcode " + code + " twice");
            }
        }
        codes.forEach((name, code) -> assertTrue(ops.containsKey(code), "OP_" + name + " = " + code + " has no ops[] entry"));
        return ops;
    }

    /** Rows {@code | 5 | `MOUNT` | s source, s target, … | … |} of the "## Steps" section. */
    static Map<Integer, Entry> docOps(String doc) {
        int start = doc.indexOf("\n## Steps");
        assertTrue(start >= 0, "docs/init-protocol.md has no \"## Steps\" section");
        int end = doc.indexOf("\n## ", start + 1);
        String section = doc.substring(start, end < 0 ? doc.length() : end);
        Map<Integer, Entry> ops = new TreeMap<>();
        Matcher row = Pattern.compile("(?m)^\\|\\s*(\\d+)\\s*\\|\\s*`([A-Z_]+)`\\s*\\|([^|]*)\\|").matcher(section);
        while (row.find()) {
            int code = Integer.parseInt(row.group(1));
            if (ops.put(code, new Entry(code, row.group(2), signatureOf(row.group(3)))) != null) {
                fail("the Steps table has opcode " + code + " twice");
            }
        }
        return ops;
    }

    /** "s path, i argc, s arg*, s env*" → "sis*": a letter per argument; starred ones repeat (consecutive same letters merge). */
    static String signatureOf(String column) {
        String text = column.strip();
        if (text.equals("—") || text.isEmpty()) {
            return "";
        }
        var signature = new StringBuilder();
        List<String> items = new ArrayList<>(List.of(text.split(",")));
        for (String item : items) {
            String arg = item.strip();
            char kind = arg.charAt(0);
            if (kind != 's' && kind != 'i' || arg.length() > 1 && arg.charAt(1) != ' ') {
                fail("the Steps table's argument \"" + arg + "\" does not start with s or i");
            }
            if (arg.endsWith("*")) {
                String starred = kind + "*";
                if (!signature.toString().endsWith(starred)) {
                    signature.append(starred);
                }
            } else {
                assertFalse(signature.toString().endsWith("*"), "\"" + column + "\": an argument after a repeated one");
                signature.append(kind);
            }
        }
        return signature.toString();
    }

    /** A #define's value: a decimal number, or (1U << 20). */
    static long cDefine(String c, String name) {
        Matcher define = Pattern.compile("#define\\s+" + name + "\\s+([^\n]+)").matcher(c);
        assertTrue(define.find(), "no #define " + name + " in " + C_SOURCES);
        String value = define.group(1).strip();
        Matcher shift = Pattern.compile("\\(?\\s*(\\d+)[uUlL]*\\s*<<\\s*(\\d+)\\s*\\)?").matcher(value);
        if (shift.matches()) {
            return Long.parseLong(shift.group(1)) << Integer.parseInt(shift.group(2));
        }
        Matcher number = Pattern.compile("\\(?\\s*(\\d+)[uUlL]*\\s*\\)?").matcher(value);
        assertTrue(number.matches(), "#define " + name + " " + value + ": not a number this test can read");
        return Long.parseLong(number.group(1));
    }

    /** A record instance with neutral values: "" for strings, 0, false, empty lists, an enum's first constant. */
    private static Step sample(Class<?> type) throws ReflectiveOperationException {
        RecordComponent[] components = type.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            Class<?> t = components[i].getType();
            types[i] = t;
            values[i] = t == String.class ? "" : t == long.class ? 0L : t == int.class ? 0 : t == boolean.class ? false
                    : t == List.class ? List.of() : t.isEnum() ? t.getEnumConstants()[0] : null;
            assertTrue(values[i] != null, type.getSimpleName() + "." + components[i].getName() + ": no sample value for " + t);
        }
        return (Step) type.getDeclaredConstructor(types).newInstance(values);
    }
}
