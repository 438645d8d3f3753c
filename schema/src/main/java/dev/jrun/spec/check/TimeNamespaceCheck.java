package dev.jrun.spec.check;

import dev.jrun.spec.model.Spec;

/** linux.timeOffsets only mean something in a new time namespace (config-linux.md "Offset for Time Namespace"). */
final class TimeNamespaceCheck implements SemanticCheck {
    @Override
    public String name() {
        return "time-offsets";
    }

    @Override
    public void check(Spec spec, CheckContext context, Findings findings) {
        if (spec.linux() == null || spec.linux().timeOffsets().isEmpty()) {
            return;
        }
        if (!Namespaces.isNew(spec, "time")) {
            findings.error("/linux/timeOffsets", "time offsets need a new time namespace",
                    "{type: time} without a path in /linux/namespaces", spec.linux().timeOffsets().keySet().toString());
        }
        for (String clock : spec.linux().timeOffsets().keySet()) {
            if (!clock.equals("monotonic") && !clock.equals("boottime")) {
                findings.error("/linux/timeOffsets/" + clock, "only the monotonic and boottime clocks can be offset",
                        "monotonic or boottime", Findings.quoted(clock));
            }
        }
    }
}
