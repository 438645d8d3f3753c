package dev.jrun.call;

import java.time.Duration;

/** A running jrun-init, wherever it was spawned. */
public interface Helper {

    long pid();

    boolean isAlive();

    /** Waits for it to exit; its exit status (128 + N when killed by signal N). */
    int waitFor() throws InterruptedException;

    /**
     * Waits for it to exit while the signals the caller receives are passed on to it (`jrun run` in
     * the foreground, as `runc run` does); its exit status.
     */
    int waitForwardingSignals() throws InterruptedException;

    /** Waits at most timeout; true if it has exited. */
    boolean waitFor(Duration timeout) throws InterruptedException;

    /** The exit status, once it has exited. */
    int exitValue();

    /** SIGKILL, for clean-up. */
    void destroyForcibly();
}
