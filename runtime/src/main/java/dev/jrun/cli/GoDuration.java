package dev.jrun.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** A duration written as runc's flags take it (Go's time.ParseDuration): 5s, 100ms, 1m30s, 1.5h, 250us. */
final class GoDuration implements CommandLine.ITypeConverter<Duration> {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");
    private static final Map<String, Long> NANOS = Map.of("ns", 1L, "us", 1_000L, "µs", 1_000L, "μs", 1_000L,
            "ms", 1_000_000L, "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    static Duration parse(String value) {
        if (value.equals("0")) {
            return Duration.ZERO;
        }
        Matcher part = PART.matcher(value);
        BigDecimal nanos = BigDecimal.ZERO;
        int at = 0;
        while (at < value.length() && part.find(at) && part.start() == at) {
            nanos = nanos.add(new BigDecimal(part.group(1).startsWith(".") ? "0" + part.group(1) : part.group(1))
                    .multiply(BigDecimal.valueOf(NANOS.get(part.group(2)))));
            at = part.end();
        }
        if (at == 0 || at != value.length()) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a duration: use a number with a unit, such as"
                    + " 5s, 500ms or 1m30s (units ns, us, ms, s, m, h)");
        }
        return Duration.ofNanos(nanos.longValue());
    }
}
