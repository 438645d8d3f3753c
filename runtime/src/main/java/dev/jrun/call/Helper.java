package dev.jrun.call;

import java.time.Duration;

/** A running jrun-init, wherever it was spawned. */
public interface Helper {

    long pid();

    boolean isAlive();

    /** Waits for it to exit; its exit status (128 + N when killed by signal N). */
    int waitFor() throws InterruptedException;

    /**
     * From now until closed, the signals the caller receives (sys.Signals.RELAYED_TO_FOREGROUND) are passed on to
     * it, which relays them to the init (`jrun run` in the foreground, as `runc run` does). Taken before the
     * container starts, so that no signal finds the container running and nobody relaying.
     */
    Forwarding forwardSignals();

    /** Waits for it to exit, passing signals on as {@link #forwardSignals()} does; its exit status. */
    int waitForwardingSignals() throws InterruptedException;

    /** Signals passed on until closed. */
    interface Forwarding extends AutoCloseable {
        @Override
        void close();
    }

    /** Waits at most timeout; true if it has exited. */
    boolean waitFor(Duration timeout) throws InterruptedException;

    /** The exit status, once it has exited. */
    int exitValue();

    /** SIGKILL, for clean-up. */
    void destroyForcibly();
}
