package dev.jrun.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jrun.testing.Command;
import dev.jrun.testing.Command.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/jrun as users and tools run it: by absolute path from another directory, through a
 * symlink, on every example and every invalid spec of the corpus. Runs after `package`, on the
 * shaded jar and the AOT cache the build just made.
 */
class LauncherIT {
    private static final Path REPO = Path.of(System.getProperty("jrun.repo", "..")).toAbsolutePath().normalize();
    private static final Path JRUN = REPO.resolve("bin/jrun");

    @TempDir
    Path elsewhere;

    @Test
    void runsByAbsolutePathFromAnyDirectory() throws Exception {
        Result result = run(elsewhere, JRUN.toString(), "--version");
        assertEquals(0, result.code(), result.err());
        assertTrue(result.out().startsWith("jrun version "), result.out());
        assertEquals("", result.err(), "nothing on stderr when all is well");
    }

    @Test
    void runsThroughASymlink() throws Exception {
        Path link = Files.createSymbolicLink(elsewhere.resolve("runtime"), JRUN);
        Result result = run(elsewhere, link.toString(), "features");
        assertEquals(0, result.code(), result.err());
        assertTrue(new ObjectMapper().readTree(result.out()).has("ociVersionMax"));
    }

    @Test
    void acceptsEveryExampleSpec() throws Exception {
        List<String> command = new ArrayList<>(List.of(JRUN.toString(), "validate", "--format", "json"));
        try (Stream<Path> specs = Files.list(REPO.resolve("specs"))) {
            specs.filter(f -> f.toString().matches(".*\\.(ya?ml|json)$")).sorted().forEach(f -> command.add(f.toString()));
        }
        Result result = run(elsewhere, command.toArray(String[]::new));
        assertEquals(0, result.code(), result.out() + result.err());
        assertTrue(new ObjectMapper().readTree(result.out()).get("valid").booleanValue());
    }

    @Test
    void rejectsEveryInvalidSpecWithTheExpectedPointerAndLine() throws Exception {
        List<Path> corpus;
        try (Stream<Path> files = Files.list(REPO.resolve("specs/invalid"))) {
            corpus = files.filter(f -> !f.toString().endsWith(".expected")).sorted().toList();
        }
        List<String> command = new ArrayList<>(List.of(JRUN.toString(), "validate", "--format", "json"));
        corpus.forEach(f -> command.add(f.toString()));
        Result result = run(REPO, command.toArray(String[]::new));
        assertEquals(ExitCodes.INVALID_SPEC, result.code(), result.err());
        JsonNode files = new ObjectMapper().readTree(result.out()).get("files");
        assertEquals(corpus.size(), files.size());
        for (int i = 0; i < corpus.size(); i++) {
            List<String> actual = new ArrayList<>();
            for (JsonNode p : files.get(i).get("problems")) {
                String at = p.get("line").isNull() ? "-" : p.get("line").asInt() + ":" + p.get("column").asInt();
                String pointer = p.get("pointer").asText().isEmpty() ? "(document)" : p.get("pointer").asText();
                actual.add(p.get("severity").asText() + " " + at + " " + pointer + " " + p.get("rule").asText());
            }
            Path expectations = corpus.get(i).resolveSibling(corpus.get(i).getFileName() + ".expected");
            List<String> expected = Files.readAllLines(expectations).stream().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
            assertEquals(expected, actual, corpus.get(i).toString());
        }
    }

    @Test
    void badInputNeverShowsAStackTrace(@TempDir Path dir) throws Exception {
        Path garbage = dir.resolve("garbage.json");
        byte[] bytes = new byte[2048];
        new java.util.Random(7).nextBytes(bytes);
        Files.write(garbage, bytes);
        for (String[] args : List.of(
                new String[] {"validate", garbage.toString()},
                new String[] {"validate", dir.toString()},
                new String[] {"validate", "/dev/zero"},
                new String[] {"validate", "--format", "xml", garbage.toString()},
                new String[] {"no-such-command"})) {
            List<String> command = new ArrayList<>(List.of(JRUN.toString()));
            command.addAll(List.of(args));
            Result result = run(dir, command.toArray(String[]::new));
            assertTrue(result.code() != 0, String.join(" ", args));
            assertFalse((result.out() + result.err()).contains("\tat "), "stack trace for " + String.join(" ", args) + ":\n" + result.err());
        }
    }

    @Test
    void staleOrMissingAotCacheOnlySlowsDown(@TempDir Path dir) throws Exception {
        // JRUN_AOT_CACHE points the launcher at another cache file: here one that does not exist, and one that is garbage.
        Path garbageCache = Files.writeString(dir.resolve("stale.aot"), "not a cache");
        for (String cache : List.of(dir.resolve("missing.aot").toString(), garbageCache.toString())) {
            Result result = runWithEnv(dir, Map.of("JRUN_AOT_CACHE", cache), JRUN.toString(), "features");
            assertEquals(0, result.code(), result.err());
            assertTrue(new ObjectMapper().readTree(result.out()).has("ociVersionMin"), "stdout stays pure JSON: " + result.out());
        }
    }

    private static Result run(Path cwd, String... command) throws IOException, InterruptedException {
        return runWithEnv(cwd, Map.of(), command);
    }

    private static Result runWithEnv(Path cwd, Map<String, String> env, String... command) throws IOException, InterruptedException {
        return Command.of(command).in(cwd).withEnv(env).run(Duration.ofSeconds(60));
    }
}
