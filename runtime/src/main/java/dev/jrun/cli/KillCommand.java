package dev.jrun.cli;

import dev.jrun.error.JrunException;
import dev.jrun.lifecycle.Kill;
import dev.jrun.state.StateStore;
import dev.jrun.sys.Signals;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(description = "Send a signal (default SIGTERM) to the container's init, or with --all to all its processes.")
final class KillCommand extends LifecycleCommand {
    @Mixin
    ExistingContainer container;

    @Parameters(index = "1", arity = "0..1", paramLabel = "SIGNAL", defaultValue = "TERM", description = "Name (TERM, SIGKILL) or number (default: TERM).")
    String signal;

    @Option(names = {"-a", "--all"}, description = "Signal every process in the container.")
    boolean all;

    @Override
    int execute(StateStore store) throws JrunException {
        int number = Signals.parse(signal).orElseThrow(() -> new JrunException.InvalidInput(
                "unknown signal \"" + signal + "\"; use a name such as TERM, KILL, HUP or a number from 1 to 64"));
        new Kill(store, processes()).kill(container.id(), number, all);
        return ExitCodes.OK;
    }
}
