package dev.jrun.call;

import java.util.concurrent.CountDownLatch;

/**
 * Whether the caller is still there. A one-shot jrun ends with its caller's kill (SIGKILL from a tool that gave
 * up, a Ctrl-C): nothing more is done for a caller that has gone. The warm server outlives its clients, so it
 * watches each request's connection and marks the caller gone when the client's end closes; a command that waits
 * for something only the caller could end (a fault-injection stop) then stops waiting and unwinds, cleaning up as
 * for any failure, instead of holding the container's lock for ever.
 */
public final class CallerPresence {
    private static final CallerPresence THIS_PROCESS = new CallerPresence(false);

    private final boolean watched;
    private final CountDownLatch gone = new CountDownLatch(1);

    private CallerPresence(boolean watched) {
        this.watched = watched;
    }

    /** One-shot: the caller's going is this process's end, so it is never seen from inside. */
    public static CallerPresence ofThisProcess() {
        return THIS_PROCESS;
    }

    /** A caller at the other end of a connection, marked gone by whoever watches it. */
    public static CallerPresence watched() {
        return new CallerPresence(true);
    }

    public void markGone() {
        if (!watched) {
            throw new IllegalStateException("this process's own caller cannot be marked gone from inside it");
        }
        gone.countDown();
    }

    public boolean isGone() {
        return gone.getCount() == 0;
    }

    /** Returns once the caller has gone (never, one-shot). */
    public void awaitGone() throws InterruptedException {
        gone.await();
    }
}
