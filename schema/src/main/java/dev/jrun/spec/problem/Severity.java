package dev.jrun.spec.problem;

/** An error makes a spec invalid; a warning (e.g. a likely typo of a known key) does not. */
public enum Severity {
    ERROR,
    WARNING;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
