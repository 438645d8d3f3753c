package dev.jrun.spec.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** process: what runs as the container's PID 1 and with which privileges. */
public record Process(
        Boolean terminal,
        ConsoleSize consoleSize,
        User user,
        List<String> args,
        String commandLine,
        List<String> env,
        String cwd,
        Capabilities capabilities,
        List<Rlimit> rlimits,
        Boolean noNewPrivileges,
        String apparmorProfile,
        Integer oomScoreAdj,
        String selinuxLabel,
        IoPriority ioPriority,
        Scheduler scheduler,
        ExecCpuAffinity execCPUAffinity) {

    public Process {
        args = Immutables.list(args);
        env = Immutables.list(env);
        rlimits = Immutables.list(rlimits);
    }

    public boolean isTerminal() {
        return Boolean.TRUE.equals(terminal);
    }

    public record ConsoleSize(long height, long width) {}

    public record User(long uid, long gid, Long umask, List<Long> additionalGids, String username) {
        public User {
            additionalGids = Immutables.list(additionalGids);
        }
    }

    public record Capabilities(
            List<String> bounding,
            List<String> effective,
            List<String> inheritable,
            List<String> permitted,
            List<String> ambient) {
        public Capabilities {
            bounding = Immutables.list(bounding);
            effective = Immutables.list(effective);
            inheritable = Immutables.list(inheritable);
            permitted = Immutables.list(permitted);
            ambient = Immutables.list(ambient);
        }
    }

    /** soft and hard are unsigned 64-bit (RLIM_INFINITY is 2^64-1): compare with Long.compareUnsigned, print with Long.toUnsignedString. */
    public record Rlimit(String type, long soft, long hard) {
        private static final java.math.BigInteger UNSIGNED_64_MAX = java.math.BigInteger.ONE.shiftLeft(64).subtract(java.math.BigInteger.ONE);

        @com.fasterxml.jackson.annotation.JsonCreator
        static Rlimit fromJson(@JsonProperty("type") String type,
                               @JsonProperty("soft") java.math.BigInteger soft,
                               @JsonProperty("hard") java.math.BigInteger hard) {
            return new Rlimit(type, unsigned64("soft", soft), unsigned64("hard", hard));
        }

        /**
         * The value's 64 bits. BigInteger.longValue() would keep the low 64 bits of anything, so 2^64 would
         * become 0 (no files at all for RLIMIT_NOFILE); the schema refuses such values, and this refuses them
         * again should anything bind a tree the schema did not check.
         */
        private static long unsigned64(String name, java.math.BigInteger value) {
            if (value == null) {
                return 0;
            }
            if (value.signum() < 0 || value.compareTo(UNSIGNED_64_MAX) > 0) {
                throw new IllegalArgumentException("rlimit " + name + " " + value + " is not an unsigned 64-bit value (0 to " + UNSIGNED_64_MAX + ")");
            }
            return value.longValue();
        }
    }

    /** "class" is a Java keyword, hence the component name ioClass. */
    public record IoPriority(@JsonProperty("class") String ioClass, Integer priority) {}

    public record Scheduler(
            String policy,
            Integer nice,
            Integer priority,
            List<String> flags,
            Long runtime,
            Long deadline,
            Long period) {
        public Scheduler {
            flags = Immutables.list(flags);
        }
    }

    public record ExecCpuAffinity(String initial, @JsonProperty("final") String last) {}
}
