package dev.jrun.server;

import dev.jrun.call.Invocation;

/**
 * Runs one jrun command line for a caller; the CLI passes its {@code Main::run}, so a request goes
 * through exactly the code a one-shot jrun runs (and this package does not depend on the CLI's).
 */
@FunctionalInterface
public interface Commands {
    /** The exit status of argv (without argv[0]) run for invocation's caller. */
    int run(String[] argv, Invocation invocation);
}
