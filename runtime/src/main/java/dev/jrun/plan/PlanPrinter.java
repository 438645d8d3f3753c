package dev.jrun.plan;

import java.util.stream.Collectors;

/** The plan as text, one step a line, for `--debug`, error messages and tests that compare plans. */
public final class PlanPrinter {
    private PlanPrinter() {}

    public static String print(Plan plan) {
        var out = new StringBuilder();
        for (int i = 0; i < plan.steps().size(); i++) {
            out.append(line(i, plan.at(i))).append('\n');
        }
        return out.toString();
    }

    public static String line(int index, PlannedStep planned) {
        String args = planned.step() instanceof Step.Seccomp seccomp && !seccomp.program().isEmpty()
                ? seccomp(seccomp)
                : PlanEncoder.arguments(planned.step()).stream()
                        .map(arg -> arg instanceof String s ? quote(s) : render((Long) arg))
                        .collect(Collectors.joining(" "));
        return String.format("%3d %-10s %-13s %s", index, planned.stage().name().toLowerCase(java.util.Locale.ROOT),
                planned.step().name(), args).stripTrailing();
    }

    /** A filter's program is thousands of hex digits: its length says enough; the agent's state shows its pid placeholder. */
    private static String seccomp(Step.Seccomp step) {
        return render(step.flags()) + " <" + step.program().length() / 16 + " BPF instructions> "
                + quote(step.text().replace(String.valueOf(SeccompSetup.PID), "<pid>"));
    }

    private static String render(long value) {
        return value < 0 || value > 0xffff ? "0x" + Long.toHexString(value) : Long.toString(value);
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
