package dev.jrun.server;

/** The peer broke the frame format or the order of frames (docs/server.md); the connection cannot go on. */
public final class ProtocolException extends java.io.IOException {
    private static final long serialVersionUID = 1L;

    public ProtocolException(String message) {
        super(message);
    }
}
