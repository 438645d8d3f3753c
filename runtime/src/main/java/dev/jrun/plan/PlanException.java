package dev.jrun.plan;

/** The spec asks for something jrun cannot plan (it passed validation, but this build does not support it). */
public final class PlanException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String pointer;

    public PlanException(String pointer, String message) {
        super(message);
        this.pointer = pointer;
    }

    public String pointer() {
        return pointer;
    }
}
