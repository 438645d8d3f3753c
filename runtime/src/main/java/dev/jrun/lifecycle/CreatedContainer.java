package dev.jrun.lifecycle;

/**
 * The outcome of create.
 *
 * @param helper in foreground mode (run), the helper process that waits for the init and exits with its status; else null
 */
public record CreatedContainer(String id, long pid, dev.jrun.call.Helper helper) {}
