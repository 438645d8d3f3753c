package dev.jrun.plan;

import static dev.jrun.plan.PlanFormat.Limit.MAX_ARGS;
import static dev.jrun.plan.PlanFormat.Limit.MAX_STEPS;
import static dev.jrun.plan.PlanFormat.Limit.MAX_STRING;
import static dev.jrun.plan.PlanFormat.Limit.MAX_TREES;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The helper's limits ({@link PlanFormat.Limit}) checked on a finished plan, so that a spec too big for
 * jrun-init is refused before the helper starts, pointing at the spec part responsible (each step's
 * {@link PlannedStep#origin()}), instead of failing half-way as a broken pipe.
 */
final class PlanLimits {
    private PlanLimits() {}

    static void check(List<PlannedStep> steps) throws PlanException {
        if (steps.size() > MAX_STEPS.value()) {
            tooManySteps(steps);
        }
        long trees = steps.stream().filter(s -> s.step() instanceof Step.CloneTree).count();
        if (trees > MAX_TREES.value()) {
            throw new PlanException("/mounts", trees + " bind mounts ask for shared propagation; jrun-init keeps at most "
                    + describe(MAX_TREES) + ": make fewer of them shared");
        }
        for (PlannedStep planned : steps) {
            List<Object> args = PlanEncoder.arguments(planned.step());
            if (args.size() > MAX_ARGS.value()) {
                throw new PlanException(planned.origin(), planned.step().name() + " (" + planned.why() + ") would have "
                        + args.size() + " arguments; jrun-init takes at most " + describe(MAX_ARGS));
            }
            for (Object arg : args) {
                if (arg instanceof String text) {
                    checkString(planned, text);
                }
            }
        }
    }

    private static void checkString(PlannedStep planned, String text) throws PlanException {
        // Only a string that could be over the limit is encoded to count its bytes (UTF-8: at most 3 per char).
        if ((long) text.length() * 3 > MAX_STRING.value()) {
            int bytes = text.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_STRING.value()) {
                throw new PlanException(planned.origin(), planned.step().name() + " (" + planned.why() + ") would carry a string of "
                        + bytes + " bytes; jrun-init takes at most " + describe(MAX_STRING));
            }
        }
        if (text.indexOf('\0') >= 0) {
            throw new PlanException(planned.origin(), planned.step().name() + " (" + planned.why()
                    + ") would carry a string with a NUL character, which no system call can take; remove it");
        }
    }

    /** The spec collection behind most of the steps (e.g. /mounts, not /mounts/17) is the one to point at. */
    private static void tooManySteps(List<PlannedStep> steps) throws PlanException {
        Map<String, Integer> byCollection = new LinkedHashMap<>();
        for (PlannedStep planned : steps) {
            if (!planned.origin().isEmpty()) {
                byCollection.merge(collectionOf(planned.origin()), 1, Integer::sum);
            }
        }
        var biggest = byCollection.entrySet().stream().max(Map.Entry.comparingByValue()).orElse(Map.entry("", 0));
        throw new PlanException(biggest.getKey(), "the plan would have " + steps.size() + " steps, " + biggest.getValue()
                + " of them for " + (biggest.getKey().isEmpty() ? "the spec" : biggest.getKey()) + "; jrun-init runs at most "
                + describe(MAX_STEPS) + ": use fewer entries there");
    }

    /** "/mounts/3" → "/mounts", "/linux/devices/0" → "/linux/devices"; a pointer of one segment stays as it is. */
    static String collectionOf(String pointer) {
        int last = pointer.lastIndexOf('/');
        return last > 0 ? pointer.substring(0, last) : pointer;
    }

    private static String describe(PlanFormat.Limit limit) {
        return limit.value() + " " + limit.what() + " (" + limit.name() + ")";
    }
}
