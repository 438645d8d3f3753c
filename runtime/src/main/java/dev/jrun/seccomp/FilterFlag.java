package dev.jrun.seccomp;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The spec's seccomp flags: seccomp(2)'s SECCOMP_FILTER_FLAG_* bits, and the kernel that brought each. */
public enum FilterFlag {
    TSYNC(1, 3, 17),
    LOG(2, 4, 14),
    SPEC_ALLOW(4, 4, 17),
    WAIT_KILLABLE_RECV(32, 6, 0);

    /** SECCOMP_FILTER_FLAG_NEW_LISTENER: not a spec flag; the filter has a NOTIFY action. */
    public static final long NEW_LISTENER = 8;
    /** SECCOMP_FILTER_FLAG_TSYNC_ESRCH: with NEW_LISTENER, TSYNC must report failure as ESRCH (the kernel refuses both otherwise). */
    public static final long TSYNC_ESRCH = 16;

    private final long bit;
    private final int major;
    private final int minor;

    FilterFlag(long bit, int major, int minor) {
        this.bit = bit;
        this.major = major;
        this.minor = minor;
    }

    public long bit() {
        return bit;
    }

    public String specName() {
        return "SECCOMP_FILTER_FLAG_" + name();
    }

    /** Whether a kernel of this release ("6.1.0-foo") knows the flag. */
    public boolean supportedBy(String kernelRelease) {
        String[] parts = kernelRelease.split("[.-]");
        try {
            int kernelMajor = Integer.parseInt(parts[0]);
            int kernelMinor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return kernelMajor > major || kernelMajor == major && kernelMinor >= minor;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    public static Optional<FilterFlag> ofSpecName(String name) {
        return Arrays.stream(values()).filter(f -> f.specName().equals(name)).findFirst();
    }

    public static List<String> specNames() {
        return Arrays.stream(values()).map(FilterFlag::specName).toList();
    }
}
