package dev.jrun.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopLevelTest {
    @Test
    void aCommandLineErrorGoesToTheLogTooAsToolsReadItFromThere(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("log.json");
        CliRun run = CliRun.of("--log", log.toString(), "--log-format", "json", "--root", dir.toString(), "state", "--bogus", "x");
        assertEquals(ExitCodes.USAGE, run.exitCode(), run.err());
        assertTrue(run.err().contains("Unknown option: '--bogus'"), run.err());
        JsonNode entry = new ObjectMapper().readTree(Files.readString(log).strip());
        assertEquals("error", entry.get("level").asText());
        assertTrue(entry.get("msg").asText().contains("Unknown option: '--bogus'"), entry.toString());
    }

    @Test
    void versionNamesJrunAndTheSpecVersion() {
        CliRun run = CliRun.of("--version");
        assertEquals(ExitCodes.OK, run.exitCode());
        assertTrue(run.out().matches("(?s)jrun version \\S+\nspec: 1\\.\\d+\\.\\d+\njava: .*"), run.out());
    }

    @Test
    void featuresIsTheOciFeaturesDocument() throws Exception {
        CliRun run = CliRun.of("features");
        assertEquals(ExitCodes.OK, run.exitCode());
        JsonNode features = new ObjectMapper().readTree(run.out());
        assertEquals("1.0.0", features.get("ociVersionMin").asText());
        assertTrue(features.get("ociVersionMax").asText().startsWith("1."));
        assertTrue(features.at("/linux/namespaces").isArray());
        // docs/cgroups.md: both versions through the cgroup file system, rdma.max on both, no systemd D-Bus driver.
        assertEquals(Map.of("v1", true, "v2", true, "systemd", false, "systemdUser", false, "rdma", true),
                new ObjectMapper().convertValue(features.at("/linux/cgroup"), Map.class));
        assertTrue(features.at("/annotations/dev.jrun.version").isTextual());
        // docs/seccomp.md: every action and operator, the architectures with syscall tables, the four flags.
        JsonNode seccomp = features.at("/linux/seccomp");
        assertTrue(seccomp.get("enabled").asBoolean());
        assertEquals(9, seccomp.get("actions").size(), seccomp.toString());
        assertEquals(7, seccomp.get("operators").size(), seccomp.toString());
        assertEquals("[\"SCMP_ARCH_AARCH64\",\"SCMP_ARCH_ARM\",\"SCMP_ARCH_X32\",\"SCMP_ARCH_X86\",\"SCMP_ARCH_X86_64\"]", seccomp.get("archs").toString());
        assertEquals(4, seccomp.get("knownFlags").size(), seccomp.toString());
        assertTrue(seccomp.get("supportedFlags").toString().contains("SECCOMP_FILTER_FLAG_LOG"), seccomp.toString());
    }

    @Test
    void unknownCommandIsAUsageErrorWithASuggestion() {
        CliRun run = CliRun.of("valdate", "x");
        assertEquals(ExitCodes.USAGE, run.exitCode());
        assertTrue(run.err().contains("Did you mean: jrun validate"), run.err());
    }

    @Test
    void noCommandIsAUsageError() {
        CliRun run = CliRun.of();
        assertEquals(ExitCodes.USAGE, run.exitCode());
        assertTrue(run.err().contains("no command given"), run.err());
    }

    @Test
    void helpListsExitCodes() {
        CliRun run = CliRun.of("--help");
        assertEquals(ExitCodes.OK, run.exitCode());
        assertTrue(run.out().contains("Exit codes:"), run.out());
    }

    /** Every usage error says "Run 'jrun VERB --help' for usage.", so that must work for every verb. */
    @ParameterizedTest
    @ValueSource(strings = {"create", "start", "state", "kill", "pause", "resume", "delete", "list", "ps", "update", "events", "run", "validate", "spec", "features", "server"})
    void everyCommandTakesHelp(String verb) {
        for (String help : new String[] {"--help", "-h"}) {
            CliRun run = CliRun.of(verb, help);
            assertEquals(ExitCodes.OK, run.exitCode(), verb + " " + help + ": " + run.err());
            assertTrue(run.out().startsWith("Usage: jrun " + verb + " "), run.out());
            assertTrue(run.out().contains("-h, --help"), run.out());
        }
    }
}
