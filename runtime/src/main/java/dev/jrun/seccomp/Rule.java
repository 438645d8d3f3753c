package dev.jrun.seccomp;

import java.util.List;

/**
 * One rule for one syscall of one architecture: its action when every condition holds (no condition: always).
 *
 * @param origin the spec's rule it comes from (a JSON pointer), for messages
 */
public record Rule(Action action, List<Condition> conditions, String origin) {
    public Rule {
        conditions = List.copyOf(conditions);
    }

    public boolean unconditional() {
        return conditions.isEmpty();
    }
}
