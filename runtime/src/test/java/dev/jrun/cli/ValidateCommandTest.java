package dev.jrun.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {
    @TempDir
    Path bundle;

    private Path validSpec() throws Exception {
        Files.createDirectories(bundle.resolve("rootfs"));
        return Files.writeString(bundle.resolve("ok.yaml"), "ociVersion: 1.2.0\nroot: {path: rootfs}\n");
    }

    private Path invalidSpec() throws Exception {
        return Files.writeString(bundle.resolve("bad.yaml"),
                "ociVersion: 1.2.0\nroot: {path: rootfs}\nlinux:\n  namespaces:\n    - type: pistachio\n");
    }

    @Test
    void validSpecExitsZeroAndSaysSo() throws Exception {
        Path spec = validSpec();
        CliRun run = CliRun.of("validate", spec.toString());
        assertEquals(ExitCodes.OK, run.exitCode(), run.err());
        assertEquals(spec + ": valid\n", run.out());
    }

    @Test
    void invalidSpecExitsThreeWithFileLinePointerExpectedAndFound() throws Exception {
        validSpec();
        Path spec = invalidSpec();
        CliRun run = CliRun.of("validate", spec.toString());
        assertEquals(ExitCodes.INVALID_SPEC, run.exitCode());
        assertTrue(run.out().contains(spec + ":5:13: error: /linux/namespaces/0/type: not an allowed value"), run.out());
        assertTrue(run.out().contains("expected: one of pid, network, mount, ipc, uts, user, cgroup, time"), run.out());
        assertTrue(run.out().contains("found: \"pistachio\""), run.out());
    }

    @Test
    void everyFileIsReportedAndTheWorstDecidesTheExitCode() throws Exception {
        Path ok = validSpec();
        Path bad = invalidSpec();
        CliRun invalid = CliRun.of("validate", ok.toString(), bad.toString());
        assertEquals(ExitCodes.INVALID_SPEC, invalid.exitCode());
        assertTrue(invalid.out().contains(ok + ": valid"));
        assertTrue(invalid.out().contains(bad + ": invalid: 1 error"));
        CliRun unreadable = CliRun.of("validate", ok.toString(), bad.toString(), bundle.resolve("missing.yaml").toString());
        assertEquals(ExitCodes.UNREADABLE_SPEC, unreadable.exitCode());
        assertTrue(unreadable.out().contains("missing.yaml: error: (document): no such file"), unreadable.out());
    }

    @Test
    void jsonFormatIsMachineReadable() throws Exception {
        validSpec();
        Path bad = invalidSpec();
        CliRun run = CliRun.of("validate", "--format", "json", bad.toString());
        assertEquals(ExitCodes.INVALID_SPEC, run.exitCode());
        JsonNode report = new ObjectMapper().readTree(run.out());
        assertFalse(report.get("valid").booleanValue());
        JsonNode problem = report.at("/files/0/problems/0");
        assertEquals("error", problem.get("severity").asText());
        assertEquals("schema.enum", problem.get("rule").asText());
        assertEquals(5, problem.get("line").asInt());
        assertEquals(13, problem.get("column").asInt());
        assertEquals("/linux/namespaces/0/type", problem.get("pointer").asText());
        assertEquals("\"pistachio\"", problem.get("found").asText());
    }

    @Test
    void directoryGivenInsteadOfFile() {
        CliRun run = CliRun.of("validate", bundle.toString());
        assertEquals(ExitCodes.UNREADABLE_SPEC, run.exitCode());
        assertTrue(run.out().contains("is a directory"), run.out());
        assertFalse(run.err().contains("Exception"), run.err());
    }

    @Test
    void noFileIsAUsageError() {
        CliRun run = CliRun.of("validate");
        assertEquals(ExitCodes.USAGE, run.exitCode());
        assertTrue(run.err().contains("Missing required parameter"), run.err());
    }
}
