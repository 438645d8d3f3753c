package dev.jrun.spec.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.spec.problem.Position;
import dev.jrun.spec.problem.Problem;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input of every kind is refused with a clear problem, never an exception of the parser's or a stack overflow. */
class SpecReaderTest {
    private final SpecReader reader = new SpecReader();

    @TempDir
    Path dir;

    @Test
    void readsPositionsOfYamlValues() throws Exception {
        SourceDocument doc = reader.read(write("s.yaml", "ociVersion: 1.2.0\nlinux:\n  namespaces:\n    - type: pid\n    - type: uts\n"));
        assertEquals(SpecFormat.YAML, doc.format());
        assertEquals(new Position(5, 13), doc.positionOf("/linux/namespaces/1/type"));
        assertEquals(new Position(5, 7), doc.keyPositionOf("/linux/namespaces/1/type"));
        assertEquals(new Position(5, 13), doc.positionOf("/linux/namespaces/1/type/missing"), "a missing child falls back to its parent");
    }

    @Test
    void readsPositionsOfJsonValues() throws Exception {
        SourceDocument doc = reader.read(write("s.json", "{\n  \"root\": {\"path\": \"rootfs\"},\n  \"mounts\": [1, 22]\n}"));
        assertEquals(SpecFormat.JSON, doc.format());
        assertEquals(new Position(2, 20), doc.positionOf("/root/path"));
        assertEquals(new Position(3, 17), doc.positionOf("/mounts/1"));
    }

    @Test
    void missingFile() {
        Problem p = refused(dir.resolve("nope.yaml"), true);
        assertTrue(p.message().contains("no such file"), p.render());
    }

    @Test
    void directoryInsteadOfFile() {
        Problem p = refused(dir, true);
        assertTrue(p.message().contains("is a directory"), p.render());
    }

    @Test
    void deviceInsteadOfFile() {
        Problem p = refused(Path.of("/dev/zero"), true);
        assertTrue(p.message().contains("not a regular file"), p.render());
    }

    @Test
    void hundredMegabyteFileIsRefusedWithoutReadingIt() throws IOException {
        Path big = dir.resolve("big.json");
        try (RandomAccessFile file = new RandomAccessFile(big.toFile(), "rw")) {
            file.setLength(100L * 1024 * 1024); // sparse: costs no disk and no time
        }
        Problem p = refused(big, true);
        assertTrue(p.message().contains("104857600 bytes"), p.render());
    }

    @Test
    void emptyFile() throws IOException {
        Problem p = refused(write("empty.json", ""), false);
        assertTrue(p.message().contains("empty"), p.render());
    }

    @Test
    void binaryGarbage() throws IOException {
        byte[] garbage = new byte[4096];
        new Random(42).nextBytes(garbage);
        garbage[100] = 0;
        Path file = dir.resolve("garbage.yaml");
        Files.write(file, garbage);
        Problem p = refused(file, false);
        assertTrue(p.message().contains("binary") || p.message().contains("not UTF-8"), p.render());
        assertTrue(p.position() != null, "the offending byte's place is given");
    }

    @Test
    void invalidUtf8WithoutNulBytes() throws IOException {
        Path file = dir.resolve("latin1.yaml");
        Files.write(file, "hostname: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        Problem p = refused(file, false);
        assertTrue(p.message().contains("not UTF-8"), p.render());
        assertEquals(new Position(1, 14), p.position());
    }

    @Test
    void byteOrderMarkIsAccepted() throws Exception {
        Path file = dir.resolve("bom.json");
        Files.write(file, ("\uFEFF{\"ociVersion\": \"1.2.0\"}").getBytes(StandardCharsets.UTF_8));
        assertEquals("1.2.0", reader.read(file).tree().get("ociVersion").asText());
    }

    @Test
    void deeplyNestedJsonIsRefusedWithoutStackOverflow() throws IOException {
        int depth = 100_000;
        String text = "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
        Problem p = refused(write("deep.json", text), false);
        assertTrue(p.message().contains("nested") || p.message().contains("depth"), p.render());
    }

    @Test
    void deeplyNestedYamlIsRefusedWithoutStackOverflow() throws IOException {
        int depth = 100_000;
        String text = "a: " + "[".repeat(depth) + "]".repeat(depth) + "\n";
        Problem p = refused(write("deep.yaml", text), false);
        assertTrue(p.message().toLowerCase().contains("nest") || p.message().contains("depth"), p.render());
    }

    @Test
    void nestingUpToTheLimitIsRead() throws Exception {
        int depth = SpecReader.MAX_DEPTH - 1;
        String text = "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
        assertFalse(reader.read(write("ok.json", text)).tree().isEmpty());
    }

    @Test
    void yamlAliasesAreRefusedNotMisread() throws IOException {
        var text = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (int i = 0; i < 60; i++) {
            text.append("b").append(i).append(": &b").append(i).append(" [*a, *a, *a, *a, *a, *a, *a, *a]\n");
        }
        Problem p = refused(write("bomb.yaml", text.toString()), false);
        assertTrue(p.message().contains("aliases"), p.render());
        assertEquals(new Position(2, 10), p.position());
    }

    private Problem refused(Path file, boolean unreadable) {
        SpecReadException e = assertThrows(SpecReadException.class, () -> reader.read(file));
        assertEquals(unreadable, e.unreadable(), e.problem().render());
        assertEquals(file.toString(), e.problem().file());
        assertFalse(e.problem().render().contains("Exception"), "no exception names in what users read: " + e.problem().render());
        return e.problem();
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }
}
