package dev.jrun.spec.model;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The resources of setrlimit(2) on Linux (x86_64 numbering), by the names the OCI spec uses. */
public final class RlimitNames {
    private static final Map<String, Integer> NUMBERS = new TreeMap<>(Map.ofEntries(
            Map.entry("RLIMIT_CPU", 0), Map.entry("RLIMIT_FSIZE", 1), Map.entry("RLIMIT_DATA", 2), Map.entry("RLIMIT_STACK", 3),
            Map.entry("RLIMIT_CORE", 4), Map.entry("RLIMIT_RSS", 5), Map.entry("RLIMIT_NPROC", 6), Map.entry("RLIMIT_NOFILE", 7),
            Map.entry("RLIMIT_MEMLOCK", 8), Map.entry("RLIMIT_AS", 9), Map.entry("RLIMIT_LOCKS", 10), Map.entry("RLIMIT_SIGPENDING", 11),
            Map.entry("RLIMIT_MSGQUEUE", 12), Map.entry("RLIMIT_NICE", 13), Map.entry("RLIMIT_RTPRIO", 14), Map.entry("RLIMIT_RTTIME", 15)));

    /** Every name, in alphabetical order. */
    public static final List<String> ALL = List.copyOf(NUMBERS.keySet());

    private RlimitNames() {}

    /** The resource number for setrlimit(2), or -1 for a name Linux does not know. */
    public static int resourceOf(String name) {
        return NUMBERS.getOrDefault(name, -1);
    }
}
