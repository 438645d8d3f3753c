package dev.jrun.server;

import dev.jrun.call.Helper;
import dev.jrun.sys.Signals;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;

/**
 * The jrun-init the client spawned for this request, driven over the connection: every wait is a WAIT the
 * client answers with HELPER_EXITED, and killing it a KILL. Once it has exited its status is kept, and nothing
 * more is asked of the client.
 *
 * <p>If the connection is lost (the client was killed), the client is gone and so is any use in waiting:
 * {@link #waitFor()} and {@link #isAlive()} throw {@link UncheckedIOException}, {@link #waitFor(Duration)}
 * answers false and {@link #destroyForcibly()} does nothing (a client that ends mid-request kills its helper
 * itself), so that create's clean-up still runs to the end.
 */
final class RemoteHelper implements Helper {
    private final ClientConnection connection;
    private final long pid;
    private Integer exitStatus;
    private IOException lost;

    RemoteHelper(ClientConnection connection, long pid) {
        this.connection = connection;
        this.pid = pid;
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public synchronized boolean isAlive() {
        return exitStatus == null && ask(new Frame.Wait(0, List.of())) == Frame.HelperExited.STILL_RUNNING;
    }

    @Override
    public synchronized int waitFor() {
        return exitStatus != null ? exitStatus : ask(new Frame.Wait(Frame.Wait.NO_LIMIT, List.of()));
    }

    /**
     * RELAY: the client holds the signals from now on, and the WAIT of {@link #waitForwardingSignals()} passes them on
     * (those held meanwhile included). Closing changes nothing: the client holds them until its request ends.
     */
    @Override
    public synchronized Forwarding forwardSignals() {
        if (exitStatus == null && lost == null) {
            try {
                connection.send(new Frame.Relay(Signals.RELAYED_TO_FOREGROUND));
            } catch (IOException e) {
                lost = e;
            }
        }
        return () -> { };
    }

    /** The signals the caller gets go on to the helper, as a foreground helper relays them to the init: the planner's list. */
    @Override
    public synchronized int waitForwardingSignals() {
        return exitStatus != null ? exitStatus : ask(new Frame.Wait(Frame.Wait.NO_LIMIT, Signals.RELAYED_TO_FOREGROUND));
    }

    @Override
    public synchronized boolean waitFor(Duration timeout) {
        if (exitStatus != null) {
            return true;
        }
        if (lost != null) {
            return false;
        }
        int millis = (int) Math.min(Math.max(timeout.toMillis(), 0), Integer.MAX_VALUE);
        try {
            return ask(new Frame.Wait(millis, List.of())) != Frame.HelperExited.STILL_RUNNING;
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    @Override
    public synchronized int exitValue() {
        if (exitStatus == null) {
            throw new IllegalThreadStateException("jrun-init (pid " + pid + ", the jrun client's child) has not exited");
        }
        return exitStatus;
    }

    @Override
    public synchronized void destroyForcibly() {
        if (exitStatus != null || lost != null) {
            return;
        }
        try {
            ask(new Frame.Kill());
        } catch (UncheckedIOException e) {
            // clean-up goes on: a client that is gone has killed its helper itself
        }
    }

    /** Sends a WAIT or KILL and returns the HELPER_EXITED status, keeping it once the helper has exited. */
    private int ask(Frame question) {
        if (lost != null) {
            throw new UncheckedIOException("the jrun client is gone: " + lost.getMessage(), lost);
        }
        try {
            connection.send(question);
            Frame answer = connection.next();
            if (!(answer instanceof Frame.HelperExited(int status))) {
                throw new ProtocolException("the jrun client answered " + question.getClass().getSimpleName().toUpperCase()
                        + " with " + answer.getClass().getSimpleName() + ", not HELPER_EXITED");
            }
            boolean mayStillRun = question instanceof Frame.Wait wait && wait.timeoutMillis() != Frame.Wait.NO_LIMIT;
            if (status == Frame.HelperExited.STILL_RUNNING && !mayStillRun) {
                throw new ProtocolException("the jrun client answered " + question.getClass().getSimpleName().toUpperCase()
                        + " with status -1, but its helper must have exited");
            }
            if (status != Frame.HelperExited.STILL_RUNNING) {
                exitStatus = status;
            }
            return status;
        } catch (IOException e) {
            lost = e;
            throw new UncheckedIOException("the jrun client is gone: " + e.getMessage(), e);
        }
    }
}
