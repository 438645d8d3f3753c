package dev.jrun.sys;

import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Signal names and numbers as `kill` takes them. Sending goes through {@link KnownProcess#signal}:
 * a pidfd, so that no reused pid is ever signalled.
 */
public final class Signals {
    public static final int SIGKILL = 9;
    public static final int SIGTERM = 15;

    private static final Map<String, Integer> BY_NAME = Map.ofEntries(
            Map.entry("HUP", 1), Map.entry("INT", 2), Map.entry("QUIT", 3), Map.entry("ILL", 4), Map.entry("TRAP", 5),
            Map.entry("ABRT", 6), Map.entry("IOT", 6), Map.entry("BUS", 7), Map.entry("FPE", 8), Map.entry("KILL", 9),
            Map.entry("USR1", 10), Map.entry("SEGV", 11), Map.entry("USR2", 12), Map.entry("PIPE", 13), Map.entry("ALRM", 14),
            Map.entry("TERM", 15), Map.entry("STKFLT", 16), Map.entry("CHLD", 17), Map.entry("CONT", 18), Map.entry("STOP", 19),
            Map.entry("TSTP", 20), Map.entry("TTIN", 21), Map.entry("TTOU", 22), Map.entry("URG", 23), Map.entry("XCPU", 24),
            Map.entry("XFSZ", 25), Map.entry("VTALRM", 26), Map.entry("PROF", 27), Map.entry("WINCH", 28), Map.entry("IO", 29),
            Map.entry("POLL", 29), Map.entry("PWR", 30), Map.entry("SYS", 31));
    private static final int SIGRTMIN = 34;
    private static final int SIGRTMAX = 64;

    private Signals() {}

    /** "TERM", "SIGTERM", "sigterm", "15", "RTMIN+3" → the number; empty when it names no signal. */
    public static OptionalInt parse(String text) {
        String name = text.trim().toUpperCase(Locale.ROOT);
        if (name.matches("\\d{1,3}")) {
            int number = Integer.parseInt(name);
            return number >= 1 && number <= SIGRTMAX ? OptionalInt.of(number) : OptionalInt.empty();
        }
        if (name.startsWith("SIG")) {
            name = name.substring(3);
        }
        Integer known = BY_NAME.get(name);
        if (known != null) {
            return OptionalInt.of(known);
        }
        var realtime = java.util.regex.Pattern.compile("RTMIN(?:\\+(\\d{1,2}))?|RTMAX(?:-(\\d{1,2}))?").matcher(name);
        if (realtime.matches()) {
            int number = realtime.group(0).startsWith("RTMIN")
                    ? SIGRTMIN + (realtime.group(1) == null ? 0 : Integer.parseInt(realtime.group(1)))
                    : SIGRTMAX - (realtime.group(2) == null ? 0 : Integer.parseInt(realtime.group(2)));
            return number >= SIGRTMIN && number <= SIGRTMAX ? OptionalInt.of(number) : OptionalInt.empty();
        }
        return OptionalInt.empty();
    }
}
