package dev.jrun.cli;

import dev.jrun.call.CallerPresence;
import dev.jrun.call.Invocation;
import dev.jrun.error.JrunException;
import dev.jrun.lifecycle.Events;
import dev.jrun.state.StateStore;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** runc's events: one JSON event a line. */
@Command(description = "Print the container's resource usage as JSON events: once with --stats, else every interval until it stops.")
final class EventsCommand extends LifecycleCommand {
    @Mixin
    ExistingContainer container;

    @Option(names = "--stats", description = "Print one stats event and exit.")
    boolean stats;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "5s", converter = GoDuration.class,
            description = "Time between stats events, such as 5s or 500ms (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Override
    int execute(StateStore store) throws JrunException {
        if (interval.isNegative() || interval.isZero()) {
            throw new JrunException.InvalidInput("--interval must be longer than 0");
        }
        Events events = new Events(store, processes());
        if (stats) {
            out().println(events.stats(container.id()));
            out().flush();
            return ExitCodes.OK;
        }
        // through the server a caller that went away (Ctrl-C of the client) may leave its terminal open: ask it too
        CallerPresence caller = Invocation.current().caller();
        events.follow(container.id(), interval, event -> {
            out().println(event);
            return !out().checkError() && !caller.isGone();
        });
        return ExitCodes.OK;
    }
}
