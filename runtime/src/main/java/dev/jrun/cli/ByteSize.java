package dev.jrun.cli;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * A memory size as runc's update flags take it (docker's go-units RAMInBytes): a number, a fraction allowed, with an
 * optional binary unit k, m, g, t or p (powers of 1024), optionally followed by "i" and "b" in either case and one
 * space before the unit: 512m, 1.5g, "64 KiB", 1048576. "-1" is no limit.
 */
final class ByteSize implements CommandLine.ITypeConverter<Long> {
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?) ?([kmgtp])?i?b?");
    private static final Map<String, Integer> POWER = Map.of("k", 1, "m", 2, "g", 3, "t", 4, "p", 5);

    @Override
    public Long convert(String value) {
        return parse(value);
    }

    static long parse(String value) {
        if (value.equals("-1")) {
            return -1;
        }
        Matcher size = SIZE.matcher(value.toLowerCase(Locale.ROOT));
        if (!size.matches()) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a size: use bytes, or a number with k, m, g, t"
                    + " or p (powers of 1024) such as 512m, or -1 for no limit");
        }
        BigDecimal bytes = new BigDecimal(size.group(1));
        if (size.group(2) != null) {
            bytes = bytes.multiply(BigDecimal.valueOf(1024).pow(POWER.get(size.group(2))));
        }
        if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new CommandLine.TypeConversionException("'" + value + "' is more bytes than a limit can hold (2^63 - 1)");
        }
        return bytes.longValue(); // a fraction of a byte is dropped, as runc drops it
    }
}
