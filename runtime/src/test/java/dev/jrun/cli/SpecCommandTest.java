package dev.jrun.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `jrun spec` writes what `runc spec` would, and what it writes is valid. */
class SpecCommandTest {
    @TempDir
    Path bundle;

    @Test
    void writesConfigJsonThatValidates() throws Exception {
        Files.createDirectory(bundle.resolve("rootfs"));
        CliRun run = CliRun.of("spec", "--bundle", bundle.toString());
        assertEquals(ExitCodes.OK, run.exitCode(), run.err());
        Path config = bundle.resolve("config.json");
        JsonNode spec = new ObjectMapper().readTree(config.toFile());
        assertEquals("rootfs", spec.at("/root/path").asText());
        assertEquals(false, spec.at("/process/terminal").booleanValue());
        CliRun validate = CliRun.of("validate", config.toString());
        assertEquals(ExitCodes.OK, validate.exitCode(), validate.out());
    }

    @Test
    void yamlAndRootlessFormsValidate() throws Exception {
        Files.createDirectory(bundle.resolve("rootfs"));
        assertEquals(ExitCodes.OK, CliRun.of("spec", "--bundle", bundle.toString(), "--format", "yaml", "--rootless").exitCode());
        Path config = bundle.resolve("config.yaml");
        String text = Files.readString(config);
        assertTrue(text.contains("- type: user"), text);
        CliRun validate = CliRun.of("validate", config.toString());
        assertEquals(ExitCodes.OK, validate.exitCode(), validate.out());
    }

    @Test
    void rootlessMapsTheCallersIds() throws Exception {
        CliRun run = CliRun.of("spec", "--rootless", "--output", "-");
        JsonNode spec = new ObjectMapper().readTree(run.out());
        long uid = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        assertEquals(uid, spec.at("/linux/uidMappings/0/hostID").asLong());
        assertEquals(0, spec.at("/linux/uidMappings/0/containerID").asLong());
    }

    @Test
    void neverOverwrites() throws Exception {
        Path config = Files.writeString(bundle.resolve("config.json"), "mine");
        CliRun run = CliRun.of("spec", "--bundle", bundle.toString());
        assertEquals(ExitCodes.FAILED, run.exitCode());
        assertTrue(run.err().contains("already exists"), run.err());
        assertEquals("mine", Files.readString(config));
    }
}
