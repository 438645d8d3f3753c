package dev.jrun.plan;

/** A step with the create stage it belongs to, so that a failure names the stage the user recognises. */
public record PlannedStep(Step step, Stage stage, String why) {}
