package dev.jrun.call;

import dev.jrun.sys.KnownProcess;
import dev.jrun.sys.NativeException;
import dev.jrun.sys.Signals;
import java.util.ArrayList;
import java.util.List;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * A one-shot `jrun run` in the foreground passes the signals it receives on to the container, as `runc run`
 * does (under the server, the client does this itself): a SIGTERM to jrun reaches the container's process instead of ending jrun and leaving the
 * container behind. They go to the helper (which relays them to the init) rather than to the init
 * directly, because the helper is what jrun waits on: one path, whatever the container does. The
 * helper has its own session, so a terminal's Ctrl-C reaches the container once, through here.
 */
final class SignalRelay implements Helper.Forwarding {

    private final List<Signal> installed = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();

    private SignalRelay() {}

    static SignalRelay to(KnownProcess helper) {
        SignalRelay relay = new SignalRelay();
        // Signals.RELAYED_TO_FOREGROUND; the JVM refuses some (SIGQUIT for thread dumps, ...), which then stay jrun's.
        for (int number : Signals.RELAYED_TO_FOREGROUND) {
            try {
                Signal signal = new Signal(Signals.nameOf(number));
                relay.previous.add(Signal.handle(signal, s -> forward(helper, s.getNumber())));
                relay.installed.add(signal);
            } catch (IllegalArgumentException reservedByTheJvmOrUnnamed) {
                // not forwarded one-shot: the JVM keeps it, or has no name for it (real-time signals); docs/cli.md "run"
            }
        }
        return relay;
    }

    private static void forward(KnownProcess helper, int signal) {
        try {
            helper.signal(signal);
        } catch (NativeException e) {
            Invocation.current().err().println("jrun: run: cannot pass signal " + signal + " on to the container: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < installed.size(); i++) {
            Signal.handle(installed.get(i), previous.get(i));
        }
    }
}
