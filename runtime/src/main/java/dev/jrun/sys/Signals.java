package dev.jrun.sys;

import java.util.HashMap;
import java.util.List;
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

    public static final int SIGHUP = 1;
    public static final int SIGINT = 2;
    public static final int SIGQUIT = 3;
    public static final int SIGUSR1 = 10;
    public static final int SIGUSR2 = 12;
    public static final int SIGWINCH = 28;

    /**
     * What a foreground `run` or `exec` passes on to the container, as runc passes on every signal it can catch:
     * every signal but SIGKILL and SIGSTOP (which cannot be caught), SIGCHLD (the helper's own), SIGURG (runc's Go
     * runtime keeps it) and the ones that report the receiver's own fault (SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE,
     * SIGSEGV, SIGSYS), plus the real-time signals glibc leaves to programs (SIGRTMIN..SIGRTMAX). The planner puts it in
     * the foreground helper's CLONE, a one-shot jrun catches what the JVM lets it (SignalRelay), and the server asks its
     * client to relay it (RemoteHelper).
     */
    public static final List<Integer> RELAYED_TO_FOREGROUND = relayed();

    private static List<Integer> relayed() {
        java.util.Set<Integer> skipped = java.util.Set.of(4, 5, 6, 7, 8, 9, 11, 17, 19, 23, 31); // ILL TRAP ABRT BUS FPE KILL SEGV CHLD STOP URG SYS
        List<Integer> signals = new java.util.ArrayList<>();
        for (int signal = 1; signal <= SIGRTMAX; signal++) {
            if (!skipped.contains(signal) && (signal < 32 || signal >= SIGRTMIN)) {
                signals.add(signal);
            }
        }
        return List.copyOf(signals);
    }

    /** The standard signals' names by number (index 0 unused): the one table, for parsing and for naming. */
    private static final List<String> NAMES = List.of("", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL",
            "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG",
            "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS");
    private static final Map<String, Integer> BY_NAME = byName();
    private static final int SIGRTMIN = 34;
    private static final int SIGRTMAX = 64;

    private Signals() {}

    private static Map<String, Integer> byName() {
        Map<String, Integer> byName = new HashMap<>();
        for (int number = 1; number < NAMES.size(); number++) {
            byName.put(NAMES.get(number), number);
        }
        byName.put("IOT", 6); // the old names of ABRT and IO
        byName.put("POLL", 29);
        return Map.copyOf(byName);
    }

    /** "TERM" for 15: the name without "SIG", as sun.misc.Signal takes it. */
    public static String nameOf(int number) {
        if (number < 1 || number >= NAMES.size()) {
            throw new IllegalArgumentException("no standard signal " + number);
        }
        return NAMES.get(number);
    }

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
