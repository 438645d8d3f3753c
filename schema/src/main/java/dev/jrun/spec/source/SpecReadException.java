package dev.jrun.spec.source;

import dev.jrun.spec.problem.Problem;

/** The file could not be turned into a document at all: unreadable, too large, not text, or malformed. */
public final class SpecReadException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Problem problem;
    private final boolean unreadable;

    SpecReadException(Problem problem, boolean unreadable) {
        super(problem.render());
        this.problem = problem;
        this.unreadable = unreadable;
    }

    public Problem problem() {
        return problem;
    }

    /** True when the file itself could not be read (missing, a directory, too big), false when its content is malformed. */
    public boolean unreadable() {
        return unreadable;
    }
}
