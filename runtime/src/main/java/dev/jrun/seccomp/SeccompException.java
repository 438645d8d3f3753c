package dev.jrun.seccomp;

/** linux.seccomp asks for something no filter can do (or jrun cannot): where (a JSON pointer) and why. */
public final class SeccompException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String pointer;

    public SeccompException(String pointer, String message) {
        super(message);
        this.pointer = pointer;
    }

    public String pointer() {
        return pointer;
    }
}
