package dev.jrun.conformance;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * A test that one runtime is known to fail, for the reason given: it is skipped (reported with
 * "RUNTIME bug: reason") for that runtime only, and runs for every other one. Each use names an
 * open bug; remove it when the bug is fixed. -Dconformance.runKnownBugs=true runs them all, to check a fix.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@interface KnownBug {
    /** The runtime's name, as {@link RuntimeUnderTest#name()} gives it. */
    String runtime();

    /** What goes wrong. */
    String value();

    /** Disables a {@link KnownBug} test for the runtime it names. */
    final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if (Boolean.getBoolean("conformance.runKnownBugs")) {
                return ConditionEvaluationResult.enabled("-Dconformance.runKnownBugs=true");
            }
            return context.getElement().flatMap(e -> AnnotationSupport.findAnnotation(e, KnownBug.class))
                    .filter(bug -> bug.runtime().equals(RuntimeUnderTest.fromSystemProperties().name()))
                    .map(bug -> ConditionEvaluationResult.disabled(bug.runtime() + " bug: " + bug.value()))
                    .orElse(ConditionEvaluationResult.enabled("no known bug of this runtime"));
        }
    }
}
