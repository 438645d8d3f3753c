package dev.jrun.spec.check;

import dev.jrun.spec.model.Process;
import dev.jrun.spec.model.RlimitNames;
import dev.jrun.spec.model.Spec;
import java.util.HashMap;
import java.util.Map;

/**
 * process: cwd is absolute (config.md "Process"); args has a program to run; env entries are
 * KEY=value; each rlimit type is unique and soft ≤ hard.
 */
final class ProcessCheck implements SemanticCheck {
    @Override
    public String name() {
        return "process";
    }

    @Override
    public void check(Spec spec, CheckContext context, Findings findings) {
        Process process = spec.process();
        if (process == null) {
            return;
        }
        if (process.cwd() != null) {
            PathRules.requireAbsoluteContained("/process/cwd", process.cwd(), "the working directory", findings);
        }
        if (process.args().isEmpty()) {
            findings.error("/process/args", "process.args is empty: there is no program to run",
                    "at least one item, the program, e.g. [\"/bin/sh\"]", "nothing");
        } else if (process.args().getFirst().isEmpty()) {
            findings.error("/process/args/0", "the program to run is an empty string", "a program name or path", "\"\"");
        }
        for (int i = 0; i < process.env().size(); i++) {
            String entry = process.env().get(i);
            int equals = entry.indexOf('=');
            if (equals <= 0) {
                findings.error("/process/env/" + i, "an environment entry must be KEY=value", "e.g. \"PATH=/bin\"", Findings.quoted(entry));
            }
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < process.rlimits().size(); i++) {
            Process.Rlimit limit = process.rlimits().get(i);
            String at = "/process/rlimits/" + i;
            if (RlimitNames.resourceOf(limit.type()) < 0) {
                findings.error(at + "/type", "unknown resource limit", "one of " + String.join(", ", RlimitNames.ALL), Findings.quoted(limit.type()));
            }
            Integer earlier = seen.putIfAbsent(limit.type(), i);
            if (earlier != null) {
                findings.error(at + "/type", "the limit " + limit.type() + " is set twice (first at /process/rlimits/" + earlier + ")",
                        "each type once", Findings.quoted(limit.type()));
            }
            if (Long.compareUnsigned(limit.soft(), limit.hard()) > 0) {
                findings.error(at + "/soft", "the soft limit is above the hard limit", "soft ≤ hard (" + Long.toUnsignedString(limit.hard()) + ")",
                        Long.toUnsignedString(limit.soft()));
            }
        }
    }
}
