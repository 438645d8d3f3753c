package dev.jrun.plan;

/**
 * A step with the create stage it belongs to, so that a failure names the stage the user recognises, and
 * the spec part it comes from.
 *
 * @param origin the JSON pointer of the spec part the step carries out (e.g. {@code /mounts/3}), or ""
 *               for a step jrun adds of its own; a plan over the helper's limits is refused pointing there
 */
public record PlannedStep(Step step, Stage stage, String why, String origin) {
    public PlannedStep {
        if (origin == null) {
            throw new IllegalArgumentException("origin is \"\" for a step of jrun's own, never null");
        }
    }

    /** A step jrun adds of its own, not for any one part of the spec. */
    public PlannedStep(Step step, Stage stage, String why) {
        this(step, stage, why, "");
    }
}
