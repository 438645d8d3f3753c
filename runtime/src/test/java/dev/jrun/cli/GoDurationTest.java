package dev.jrun.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** events --interval, read as runc reads it (Go's time.ParseDuration). */
class GoDurationTest {
    @ParameterizedTest
    @CsvSource({"5s, 5000000000", "100ms, 100000000", "1m30s, 90000000000", "1.5h, 5400000000000", "250us, 250000",
        "250µs, 250000", "7ns, 7", ".5s, 500000000", "0, 0", "2h45m, 9900000000000"})
    void readsGosForms(String text, long nanos) {
        assertEquals(Duration.ofNanos(nanos), GoDuration.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "5", "s", "5 s", "-5s", "5sec", "1m 30s", "5s5"})
    void refusesTheRest(String text) {
        assertThrows(CommandLine.TypeConversionException.class, () -> GoDuration.parse(text));
    }
}
