package dev.jrun.spec.model;

import java.math.BigInteger;

/** The spec's uint64 fields, held in a long's 64 bits: compare with Long.compareUnsigned, print with Long.toUnsignedString. */
final class Unsigned64 {
    private static final BigInteger MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private Unsigned64() {}

    /**
     * The value's 64 bits. BigInteger.longValue() would keep the low 64 bits of anything, so 2^64 would become 0;
     * the schema refuses such values, and this refuses them again should anything bind a tree the schema did not check.
     */
    static long of(String what, BigInteger value) {
        if (value.signum() < 0 || value.compareTo(MAX) > 0) {
            throw new IllegalArgumentException(what + " " + value + " is not an unsigned 64-bit value (0 to " + MAX + ")");
        }
        return value.longValue();
    }
}
