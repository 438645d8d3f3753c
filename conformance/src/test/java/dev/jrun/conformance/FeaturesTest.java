package dev.jrun.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** features.md: the runtime describes itself; the rest of the suite decides from this what to test. */
class FeaturesTest {
    private static final Pattern SEMVER = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)(?:[-+].*)?");
    private static RuntimeUnderTest runtime;

    @BeforeAll
    static void runtime() {
        runtime = RuntimeUnderTest.fromSystemProperties();
    }

    @Test
    @DisplayName("features: \"ociVersionMin (string, REQUIRED)\" and \"ociVersionMax (string, REQUIRED)\", min ≤ max")
    void featuresDocumentStatesTheSupportedSpecVersions() throws Exception {
        RuntimeUnderTest.Result result = runtime.run("features");
        assertEquals(0, result.exitCode(), result.err());
        JsonNode features = new ObjectMapper().readTree(result.out());
        String min = features.path("ociVersionMin").asText("");
        String max = features.path("ociVersionMax").asText("");
        assertTrue(SEMVER.matcher(min).matches(), "ociVersionMin is SemVer: " + min);
        assertTrue(SEMVER.matcher(max).matches(), "ociVersionMax is SemVer: " + max);
        assertTrue(compare(min, max) <= 0, min + " ≤ " + max);
    }

    @Test
    @DisplayName("features: stdout is exactly one JSON document, nothing else (tools parse it)")
    void featuresPrintsOnlyJson() throws Exception {
        RuntimeUnderTest.Result result = runtime.run("features");
        JsonNode features = new ObjectMapper().readTree(result.out());
        assertTrue(features.isObject());
        assertEquals(features, new ObjectMapper().readTree(result.out().strip()));
    }

    @Test
    @DisplayName("--version: the first line names the runtime and its version, as runc prints it")
    void versionFirstLine() throws Exception {
        RuntimeUnderTest.Result result = runtime.run("--version");
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().lines().findFirst().orElse("").matches("\\S+ version \\S+"), result.out());
    }

    private static int compare(String a, String b) {
        Matcher x = SEMVER.matcher(a);
        Matcher y = SEMVER.matcher(b);
        x.matches();
        y.matches();
        for (int i = 1; i <= 3; i++) {
            int c = Integer.compare(Integer.parseInt(x.group(i)), Integer.parseInt(y.group(i)));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
