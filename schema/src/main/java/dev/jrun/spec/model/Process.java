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
        @com.fasterxml.jackson.annotation.JsonCreator
        static Rlimit fromJson(@JsonProperty("type") String type,
                               @JsonProperty("soft") java.math.BigInteger soft,
                               @JsonProperty("hard") java.math.BigInteger hard) {
            return new Rlimit(type, soft == null ? 0 : Unsigned64.of("rlimit soft", soft), hard == null ? 0 : Unsigned64.of("rlimit hard", hard));
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
