package dev.jrun.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteOrder;
import java.util.HexFormat;

/** Golden bytes written as hex, one struct or attribute per string; spaces are only for the reader. */
final class Hex {
    private Hex() {}

    static byte[] bytes(String... parts) {
        return HexFormat.of().parseHex(String.join("", parts).replace(" ", ""));
    }

    /** Compares as hex text, so a failure shows where the bytes differ. */
    static void assertBytes(byte[] expected, byte[] actual) {
        assertEquals(spaced(expected), spaced(actual));
    }

    /** The golden arrays hold numbers little-endian, as on x86_64 and arm64, the machines jrun runs on. */
    static void assumeLittleEndian() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "golden bytes are little-endian");
    }

    private static String spaced(byte[] raw) {
        var out = new StringBuilder();
        for (int i = 0; i < raw.length; i += 4) {
            out.append(HexFormat.of().formatHex(raw, i, Math.min(raw.length, i + 4))).append(i % 16 == 12 ? "\n" : " ");
        }
        return out.toString();
    }
}
