package dev.jrun.cli;

/** jrun's exit codes; docs/cli.md lists them and must change with them. */
public final class ExitCodes {
    /** The command did what was asked. */
    public static final int OK = 0;
    /** The operation failed (an error message on stderr says which step and why), or jrun itself failed. */
    public static final int FAILED = 1;
    /** The command line was wrong: unknown command or option, missing argument. */
    public static final int USAGE = 2;
    /** A spec is invalid: malformed YAML/JSON, schema violations, or semantic check errors. */
    public static final int INVALID_SPEC = 3;
    /** A spec file could not be read at all: missing, a directory, not a regular file, too large, no permission. */
    public static final int UNREADABLE_SPEC = 4;

    private ExitCodes() {}
}
