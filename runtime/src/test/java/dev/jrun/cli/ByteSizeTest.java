package dev.jrun.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** update's memory sizes, read as runc reads them (go-units RAMInBytes: binary units). */
class ByteSizeTest {
    @ParameterizedTest
    @CsvSource({"1048576, 1048576", "512m, 536870912", "512M, 536870912", "1g, 1073741824", "1.5g, 1610612736",
        "64KiB, 65536", "'64 kb', 65536", "2t, 2199023255552", "1p, 1125899906842624", "-1, -1", "0, 0", "10b, 10"})
    void readsRuncsForms(String text, long bytes) {
        assertEquals(bytes, ByteSize.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "12q", "-2", "1e3", "m", "1.g", "9000p", "1  m"})
    void refusesTheRest(String text) {
        assertThrows(CommandLine.TypeConversionException.class, () -> ByteSize.parse(text));
    }
}
