package dev.jrun.netlink;

/** The kernel sent bytes that do not parse as netlink: a length that overruns, a struct cut short. */
public final class MalformedMessageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MalformedMessageException(String message) {
        super(message);
    }
}
