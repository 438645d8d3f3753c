package dev.jrun.spec.source;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.jrun.spec.problem.Position;
import dev.jrun.spec.problem.Problem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads a spec file (YAML or JSON) into a {@link SourceDocument}, refusing what is not a spec
 * before it can cost much: a file larger than {@link #MAX_BYTES}, binary data, nesting deeper than
 * {@link #MAX_DEPTH}. The tree is built with an explicit stack, so no input can overflow the Java stack.
 */
public final class SpecReader {

    /** Real configs are a few KiB (a full seccomp profile ~50 KiB); anything near this limit is a mistake. */
    public static final long MAX_BYTES = 4L * 1024 * 1024;

    /** OCI configs nest about 7 levels deep. */
    public static final int MAX_DEPTH = 64;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final JsonFactory jsonFactory;
    private final YAMLFactory yamlFactory;

    public SpecReader() {
        var constraints = StreamReadConstraints.builder()
                .maxNestingDepth(MAX_DEPTH + 16)
                .maxDocumentLength(MAX_BYTES)
                .build();
        this.jsonFactory = JsonFactory.builder().streamReadConstraints(constraints).build();
        var loaderOptions = new LoaderOptions();
        loaderOptions.setCodePointLimit((int) MAX_BYTES);
        loaderOptions.setNestingDepthLimit(MAX_DEPTH + 16);
        this.yamlFactory = YAMLFactory.builder()
                .loaderOptions(loaderOptions)
                .streamReadConstraints(constraints)
                .build();
    }

    public SourceDocument read(Path file) throws SpecReadException {
        String name = file.toString();
        String text = readText(file, name);
        SpecFormat format = SpecFormat.of(file, text);
        if (text.isBlank()) {
            throw malformed(name, null, "", "the file is empty", "a spec object with at least ociVersion and root", null);
        }
        return parse(file, name, format, text);
    }

    /** Parses text that did not come from a file; name is what problems call it. */
    public SourceDocument parse(Path file, String name, SpecFormat format, String text) throws SpecReadException {
        JsonFactory factory = format == SpecFormat.JSON ? jsonFactory : yamlFactory;
        try (JsonParser parser = factory.createParser(text)) {
            return new TreeBuilder(file, name, format, parser).build();
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof MarkedYAMLException yaml) {
                throw yamlSyntax(name, yaml, positionOf(e.getLocation()));
            }
            throw malformed(name, positionOf(e.getLocation()), "", syntaxMessage(format, e), null, null);
        } catch (IOException e) {
            throw unreadable(name, "cannot parse: " + e.getMessage());
        }
    }

    private static String readText(Path file, String name) throws SpecReadException {
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) {
                throw unreadable(name, "is a directory; expected a spec file (in a bundle it is config.json, config.yaml or config.yml)");
            }
            if (!Files.isRegularFile(file)) {
                if (!Files.exists(file)) {
                    throw unreadable(name, "no such file");
                }
                throw unreadable(name, "is not a regular file (a device, FIFO or socket); expected a spec file");
            }
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw unreadable(name, "is " + size + " bytes; a spec may be at most " + MAX_BYTES
                        + " bytes (4 MiB) — is this the right file?");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw unreadable(name, "no such file");
        } catch (AccessDeniedException e) {
            throw unreadable(name, "permission denied");
        } catch (IOException e) {
            throw unreadable(name, "cannot read: " + e.getMessage());
        }
        if (bytes.length > MAX_BYTES) { // it grew while we read it
            throw unreadable(name, "is larger than " + MAX_BYTES + " bytes");
        }
        return decode(bytes, name);
    }

    private static String decode(byte[] bytes, String name) throws SpecReadException {
        int start = bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF ? 3 : 0;
        for (int i = start; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                throw malformed(name, positionAtByte(bytes, i), "", "the file holds binary data (a NUL byte at offset " + i + ")",
                        "UTF-8 text in YAML or JSON", null);
            }
        }
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer input = ByteBuffer.wrap(bytes, start, bytes.length - start);
        try {
            return decoder.decode(input).toString();
        } catch (CharacterCodingException e) {
            int offset = input.position();
            throw malformed(name, positionAtByte(bytes, offset), "",
                    String.format("the file is not UTF-8 text (byte 0x%02x at offset %d)", bytes[offset] & 0xff, offset),
                    "UTF-8 text in YAML or JSON", null);
        }
    }

    private static Position positionAtByte(byte[] bytes, int offset) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset; i++) {
            if (bytes[i] == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new Position(line, offset - lineStart + 1);
    }

    private static String syntaxMessage(SpecFormat format, JsonProcessingException e) {
        String original = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        // Parser messages carry a source excerpt after the first line; the position is reported separately.
        String firstLine = original.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse(original);
        return "malformed " + format + ": " + firstLine;
    }

    /** SnakeYAML says what it was reading ("while parsing a flow sequence", and where that began) and what went wrong where. */
    private static SpecReadException yamlSyntax(String name, MarkedYAMLException e, Position fallback) {
        Mark problemAt = e.getProblemMark();
        Position at = problemAt == null ? fallback : new Position(problemAt.getLine() + 1, problemAt.getColumn() + 1);
        String problem = e.getProblem() == null ? "unexpected content" : e.getProblem();
        String message = "malformed YAML: " + problem;
        if (e.getContext() != null) {
            Mark contextAt = e.getContextMark();
            message += " (" + e.getContext()
                    + (contextAt == null ? "" : " that begins at " + (contextAt.getLine() + 1) + ":" + (contextAt.getColumn() + 1)) + ")";
        }
        return malformed(name, at, "", message, null, null);
    }

    static Position positionOf(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return null;
        }
        return new Position(location.getLineNr(), Math.max(1, location.getColumnNr()));
    }

    private static SpecReadException unreadable(String name, String message) {
        return new SpecReadException(Problem.error("read", "", message, null, null).locatedAt(name, null), true);
    }

    static SpecReadException malformed(String name, Position at, String pointer, String message, String expected, String found) {
        return new SpecReadException(Problem.error("syntax", pointer, message, expected, found).locatedAt(name, at), false);
    }

    /** Builds the tree and the pointer → position maps from the token stream, without recursion. */
    private static final class TreeBuilder {
        private final Path file;
        private final String name;
        private final SpecFormat format;
        private final JsonParser parser;
        private final Map<String, Position> valuePositions = new HashMap<>();
        private final Map<String, Position> keyPositions = new HashMap<>();
        private final Deque<Frame> open = new ArrayDeque<>();

        private record Frame(ContainerNode<?> node, String pointer, String[] pendingKey, int[] nextIndex) {
            static Frame of(ContainerNode<?> node, String pointer) {
                return new Frame(node, pointer, new String[1], new int[1]);
            }
        }

        TreeBuilder(Path file, String name, SpecFormat format, JsonParser parser) {
            this.file = file;
            this.name = name;
            this.format = format;
            this.parser = parser;
        }

        SourceDocument build() throws IOException, SpecReadException {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw malformed(name, null, "", "the file holds no document (only comments or blank lines)",
                        "a spec object with at least ociVersion and root", null);
            }
            Position rootAt = positionOf(parser.currentTokenLocation());
            if (first != JsonToken.START_OBJECT) {
                throw malformed(name, rootAt, "", "the spec must be an object (a mapping of keys to values)",
                        "an object", describe(first));
            }
            ObjectNode root = NODES.objectNode();
            valuePositions.put("", rootAt);
            open.push(Frame.of(root, ""));
            while (!open.isEmpty()) {
                JsonToken token = parser.nextToken();
                if (token == null) {
                    throw malformed(name, positionOf(parser.currentLocation()), open.peek().pointer(),
                            "the document ends before this value is closed", null, null);
                }
                step(token);
            }
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                throw malformed(name, positionOf(parser.currentTokenLocation()), "",
                        format == SpecFormat.YAML ? "more than one YAML document; a spec is a single document"
                                : "content after the end of the spec object",
                        "end of file", describe(trailing));
            }
            return new SourceDocument(file, name, format, root, valuePositions, keyPositions);
        }

        private void step(JsonToken token) throws IOException, SpecReadException {
            Frame top = open.peek();
            switch (token) {
                case FIELD_NAME -> {
                    String key = parser.currentName();
                    String pointer = JsonPointers.child(top.pointer(), key);
                    if (((ObjectNode) top.node()).has(key)) {
                        throw malformed(name, positionOf(parser.currentTokenLocation()), pointer,
                                "duplicate key \"" + key + "\" (first at " + keyPositions.get(pointer) + ")",
                                "each key once per object", null);
                    }
                    top.pendingKey()[0] = key;
                    keyPositions.put(pointer, positionOf(parser.currentTokenLocation()));
                }
                case END_OBJECT, END_ARRAY -> open.pop();
                case START_OBJECT, START_ARRAY -> {
                    ContainerNode<?> child = token == JsonToken.START_OBJECT ? NODES.objectNode() : NODES.arrayNode();
                    String pointer = attach(top, child);
                    if (open.size() >= MAX_DEPTH) {
                        throw malformed(name, positionOf(parser.currentTokenLocation()), pointer,
                                "nested more than " + MAX_DEPTH + " levels deep", "at most " + MAX_DEPTH + " levels", null);
                    }
                    open.push(Frame.of(child, pointer));
                }
                default -> {
                    if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
                        // The YAML reader does not expand aliases; taking "*name" as a string would silently mean something else.
                        throw malformed(name, positionOf(parser.currentTokenLocation()), open.peek().pointer(),
                                "YAML aliases (*" + parser.getText() + ") are not supported in a spec; write the value out",
                                "a plain value", "*" + parser.getText());
                    }
                    attach(top, scalar(token));
                }
            }
        }

        /** Adds value to the open container and records where it starts; returns its pointer. */
        private String attach(Frame parent, JsonNode value) {
            String pointer;
            if (parent.node() instanceof ObjectNode object) {
                String key = parent.pendingKey()[0];
                pointer = JsonPointers.child(parent.pointer(), key);
                object.set(key, value);
            } else {
                int index = parent.nextIndex()[0]++;
                pointer = JsonPointers.child(parent.pointer(), index);
                ((ArrayNode) parent.node()).add(value);
            }
            valuePositions.put(pointer, positionOf(parser.currentTokenLocation()));
            return pointer;
        }

        private JsonNode scalar(JsonToken token) throws IOException {
            return switch (token) {
                case VALUE_STRING -> NODES.textNode(parser.getText());
                case VALUE_TRUE -> NODES.booleanNode(true);
                case VALUE_FALSE -> NODES.booleanNode(false);
                case VALUE_NULL -> NODES.nullNode();
                case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                    case INT -> NODES.numberNode(parser.getIntValue());
                    case LONG -> NODES.numberNode(parser.getLongValue());
                    default -> NODES.numberNode(parser.getBigIntegerValue());
                };
                case VALUE_NUMBER_FLOAT -> NODES.numberNode(parser.getDecimalValue());
                // Embedded binary (YAML !!binary) and the like are not part of any spec.
                default -> NODES.textNode(parser.getText());
            };
        }

        private static String describe(JsonToken token) {
            return switch (token) {
                case START_ARRAY -> "a list";
                case START_OBJECT -> "an object";
                case VALUE_STRING -> "a string";
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
                case VALUE_TRUE, VALUE_FALSE -> "a boolean";
                case VALUE_NULL -> "null";
                default -> token.toString();
            };
        }
    }
}
