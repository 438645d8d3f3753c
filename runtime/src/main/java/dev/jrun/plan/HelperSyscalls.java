package dev.jrun.plan;

import dev.jrun.seccomp.Action;
import dev.jrun.seccomp.Arch;
import dev.jrun.seccomp.SeccompFilter;
import dev.jrun.seccomp.SyscallTable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The system calls jrun-init makes for each step (as its C code and static glibc make them, checked with strace),
 * so that the planner can refuse a seccomp profile that would stop the helper between the filter's load and the
 * exec, instead of letting create or start fail there with a bare errno (docs/seccomp.md, "When it is loaded").
 */
final class HelperSyscalls {
    /** Every failure reports and exits: send(2) on the socket, else write(2) to stderr, then _exit. */
    static final List<String> FAILURE = List.of("sendto", "write", "exit_group");

    private HelperSyscalls() {}

    /** What a step runs; only the steps a plan may put after SECCOMP are listed. */
    static List<String> of(Step step) {
        return switch (step.op()) {
            // After a load with a listener: the hand-off to the agent (sendmsg, then send for the rest, close).
            case SECCOMP -> step instanceof Step.Seccomp s && !s.text().isEmpty() && !s.program().isEmpty()
                    ? List.of("sendmsg", "sendto", "close") : List.of();
            case PROCESS_ATTR -> List.of("personality", "ioprio_set", "sched_setattr");
            case SETRLIMIT -> List.of("prlimit64");
            case WRITE_FILE -> List.of("openat", "write", "close");
            case UMASK -> List.of("umask");
            case PRCTL, DROP_BOUNDING -> List.of("prctl");
            case SETGROUPS -> List.of("setgroups");
            case SETRESGID -> List.of("setresgid");
            case SETRESUID -> List.of("setresuid");
            case SET_CAPS -> List.of("capset", "prctl");
            case CHDIR -> List.of("chdir");
            case LOOKUP -> List.of("newfstatat", "faccessat2");
            case CLOSE_FDS -> List.of("fcntl", "close_range");
            case READY -> List.of("sendto", "read", "close");
            case AWAIT_START -> List.of("accept4", "read", "sendto", "close");
            case EXEC -> List.of("rt_sigaction", "rt_sigprocmask", "execve");
            // A startContainer hook (hooks.c): its pipes and socket, the fork, its exec, the wait with its timeout.
            case RUN_HOOK -> List.of("pipe2", "socketpair", "clone", "dup2", "execve", "fcntl", "ppoll", "read", "sendto", "wait4",
                    "kill", "close", "rt_sigaction", "rt_sigprocmask");
            default -> throw new IllegalStateException(step.op() + " cannot come after SECCOMP: the planner does not put it there");
        };
    }

    /**
     * The helper's syscalls from the SECCOMP step on that the filter may not let through (for some arguments), as
     * "name (ACTION)": empty when the helper can run to the exec under the filter.
     */
    static List<String> blocked(SeccompFilter filter, List<PlannedStep> fromLoad) {
        Set<String> names = new LinkedHashSet<>();
        for (PlannedStep step : fromLoad) {
            names.addAll(of(step.step()));
        }
        names.addAll(FAILURE);
        Arch arch = Arch.nativeArch();
        List<String> blocked = new ArrayList<>();
        for (String name : names) {
            var nr = SyscallTable.number(arch, name);
            if (nr.isEmpty()) {
                continue;
            }
            Set<Action> actions = filter.possibleActions(arch, nr.getAsLong());
            if (!actions.stream().allMatch(Action::lets)) {
                blocked.add(name + " (" + actions.stream().filter(a -> !a.lets()).map(Action::toString).reduce((a, b) -> a + ", " + b).orElseThrow() + ")");
            }
        }
        return blocked;
    }
}
