package dev.jrun.plan;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The steps of a plan being built, each tagged with its stage and the spec part it carries out. Shared by
 * the planners of create and exec, so that the process's own steps are written once ({@link ProcessPlanner}).
 */
final class StepList {
    private final List<PlannedStep> steps = new ArrayList<>();
    /** The spec part the steps being added carry out (a JSON pointer), "" for jrun's own: see {@link PlannedStep#origin()}. */
    private String origin = "";
    private final List<String> warnings = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    void add(Stage stage, Step step, String why) {
        steps.add(new PlannedStep(step, stage, why, origin));
    }

    void add(PlannedStep step) {
        steps.add(step);
    }

    void addAll(Collection<PlannedStep> more) {
        steps.addAll(more);
    }

    /** Something create tells the user about the plan (a setting applied only in part). */
    void warn(String warning) {
        warnings.add(warning);
    }

    /** Something --debug tells about the plan (see {@link Plan#notes()}). */
    void note(String note) {
        notes.add(note);
    }

    /** The steps so far, the last one last. */
    List<PlannedStep> steps() {
        return java.util.Collections.unmodifiableList(steps);
    }

    /** The steps added next carry out the spec part at pointer. */
    void from(String pointer) {
        origin = pointer;
    }

    /** The spec part the steps added now carry out. */
    String origin() {
        return origin;
    }

    /** A JSON pointer to key under parent, escaped as RFC 6901 asks. */
    static String pointer(String parent, Object key) {
        return parent + "/" + key.toString().replace("~", "~0").replace("/", "~1");
    }

    /** The finished plan, checked against the helper's limits. */
    Plan toPlan() throws PlanException {
        return toPlan(List.of());
    }

    /** The same, for a plan that mounts in the runtime's own mount namespace at hostMounts (see {@link Plan}). */
    Plan toPlan(List<String> hostMounts) throws PlanException {
        PlanLimits.check(steps);
        return new Plan(steps, warnings, notes, hostMounts);
    }
}
