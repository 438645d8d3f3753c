package dev.jrun.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * features.md: the runtime describes itself; the rest of the suite decides from this what to test.
 * features.md lets a runtime go without the document ("A runtime MAY provide a JSON document about
 * its implemented features"), so its tests are skipped for a runtime that has no features command.
 */
@DisplayName("Features (features.md) and --version")
@TestMethodOrder(MethodOrderer.DisplayName.class)
class FeaturesTest {
    private static RuntimeUnderTest runtime;

    @BeforeAll
    static void runtime() {
        runtime = RuntimeUnderTest.fromSystemProperties();
    }

    private static void assumeFeatures() {
        assumeTrue(Features.of(runtime).supported(), "the runtime has no features command (it is taken to claim everything)");
    }

    @Test
    @DisplayName("features: \"ociVersionMin (string, REQUIRED)\" and \"ociVersionMax (string, REQUIRED)\", min ≤ max")
    void featuresDocumentStatesTheSupportedSpecVersions() throws Exception {
        assumeFeatures();
        RuntimeUnderTest.Result result = runtime.run("features");
        assertEquals(0, result.exitCode(), result.err());
        JsonNode features = new ObjectMapper().readTree(result.out());
        String min = features.path("ociVersionMin").asText("");
        String max = features.path("ociVersionMax").asText("");
        assertTrue(Features.isSemVer(min), "ociVersionMin is SemVer: " + min);
        assertTrue(Features.isSemVer(max), "ociVersionMax is SemVer: " + max);
        assertTrue(Features.compareVersions(min, max) <= 0, min + " ≤ " + max);
    }

    @Test
    @DisplayName("features: stdout is exactly one JSON document, nothing else (tools parse it)")
    void featuresPrintsOnlyJson() throws Exception {
        assumeFeatures();
        RuntimeUnderTest.Result result = runtime.run("features");
        JsonNode features = new ObjectMapper().readTree(result.out());
        assertTrue(features.isObject());
        assertEquals(features, new ObjectMapper().readTree(result.out().strip()));
    }

    @Test
    @DisplayName("features: \"linux.namespaces (array of strings, OPTIONAL)\" names only namespace types of config-linux.md")
    void featuresNamespacesAreKnownTypes() throws Exception {
        assumeFeatures();
        JsonNode namespaces = Features.of(runtime).document().path("linux").path("namespaces");
        assumeTrue(namespaces.isArray(), "the runtime's features leave out linux.namespaces");
        var known = java.util.Set.of("pid", "network", "mount", "ipc", "uts", "user", "cgroup", "time");
        namespaces.forEach(n -> assertTrue(known.contains(n.asText()), "unknown namespace type " + n));
    }

    @Test
    @DisplayName("--version: the first line names the runtime and its version, as runc prints it")
    void versionFirstLine() throws Exception {
        RuntimeUnderTest.Result result = runtime.run("--version");
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().lines().findFirst().orElse("").matches("\\S+ version \\S+.*"), result.out());
    }
}
