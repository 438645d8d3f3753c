package dev.jrun.sys;

/** A system call failed; carries errno so the message can name it. */
public final class NativeException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int errno;

    public NativeException(String call, int errno) {
        super(call + " failed: " + Errno.describe(errno));
        this.errno = errno;
    }

    /** With what the kernel said beyond the errno (a BPF verifier's log), after it. */
    public NativeException(String call, int errno, String detail) {
        super(call + " failed: " + Errno.describe(errno) + ": " + detail);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
