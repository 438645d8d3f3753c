package dev.jrun.spec.validation;

import static dev.jrun.spec.validation.SpecText.errors;
import static dev.jrun.spec.validation.SpecText.render;
import static dev.jrun.spec.validation.SpecText.validateJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jrun.spec.model.Process;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resource limits are unsigned 64-bit: 2^64-1 is RLIM_INFINITY, 2^64 is no value at all (it used to wrap to 0). */
class RlimitRangeTest {
    @TempDir
    Path bundle;

    private ValidationReport withLimit(String soft, String hard) {
        return validateJson(bundle, """
                {"ociVersion": "1.2.0", "root": {"path": "rootfs"},
                 "process": {"cwd": "/", "args": ["sh"], "user": {"uid": 0, "gid": 0},
                             "rlimits": [{"type": "RLIMIT_NOFILE", "soft": %s, "hard": %s}]}}
                """.formatted(soft, hard));
    }

    @Test
    void infinityIsAcceptedAndBindsToAllOnes() {
        ValidationReport report = withLimit("18446744073709551615", "18446744073709551615");
        assertTrue(report.isValid(), () -> render(report));
        Process.Rlimit limit = report.spec().process().rlimits().getFirst();
        assertEquals("18446744073709551615", Long.toUnsignedString(limit.soft()));
        assertEquals(-1L, limit.hard());
    }

    @Test
    void twoToTheSixtyFourIsRefusedWithItsPointer() {
        ValidationReport report = withLimit("18446744073709551616", "18446744073709551616");
        assertEquals(List.of("schema.maximum /process/rlimits/0/soft", "schema.maximum /process/rlimits/0/hard"), errors(report),
                () -> render(report));
        assertEquals("an integer from 0 to 18446744073709551615", report.errors().getFirst().expected());
    }

    @Test
    void softAboveHardIsRefusedComparingUnsigned() {
        // 2^63 is negative as a signed long; a signed comparison would find it below 1.
        ValidationReport report = withLimit("9223372036854775808", "1");
        assertEquals(List.of("check.process /process/rlimits/0/soft"), errors(report), () -> render(report));
    }

    @Test
    void bindingRefusesWhatTheSchemaWouldSoNothingWrapsSilently() throws Exception {
        var tree = new ObjectMapper().readTree("""
                {"ociVersion": "1.2.0", "root": {"path": "rootfs"},
                 "process": {"rlimits": [{"type": "RLIMIT_NOFILE", "soft": 1, "hard": 18446744073709551616}]}}
                """);
        var e = assertThrows(com.fasterxml.jackson.core.JsonProcessingException.class, () -> new SpecBinder().bind(tree));
        assertTrue(e.getMessage().contains("not an unsigned 64-bit value"), e.getMessage());
    }
}
