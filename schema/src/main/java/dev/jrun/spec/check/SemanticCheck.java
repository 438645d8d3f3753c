package dev.jrun.spec.check;

import dev.jrun.spec.model.Spec;

/**
 * One rule the JSON Schema cannot express. A check reads the typed spec (already valid
 * for the schema) and reports by pointer; it never throws for bad input.
 */
public interface SemanticCheck {

    /** Short kebab-case name, shown in problems as {@code check.<name>} and in docs/spec.md. */
    String name();

    void check(Spec spec, CheckContext context, Findings findings);
}
