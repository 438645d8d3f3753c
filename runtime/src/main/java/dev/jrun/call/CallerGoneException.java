package dev.jrun.call;

/**
 * The caller of a request served by the warm server has gone while the command waited for it; the command unwinds
 * (a create cleans up as for any failure). Nobody reads the message but the server's log.
 */
public final class CallerGoneException extends RuntimeException {
    public CallerGoneException(String where) {
        super("the caller went away " + where);
    }
}
