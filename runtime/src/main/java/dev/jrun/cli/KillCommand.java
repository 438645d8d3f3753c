package dev.jrun.cli;

import dev.jrun.error.JrunException;
import dev.jrun.lifecycle.Kill;
import dev.jrun.state.StateStore;
import dev.jrun.sys.Signals;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "kill", description = "Send a signal (default SIGTERM) to the container's init, or with --all to all its processes.")
final class KillCommand extends LifecycleCommand {
    @Parameters(index = "0", paramLabel = "TARGET", description = "Container id, or its spec file.")
    String target;

    @Parameters(index = "1", arity = "0..1", paramLabel = "SIGNAL", defaultValue = "TERM", description = "Name (TERM, SIGKILL) or number (default: TERM).")
    String signal;

    @Option(names = {"-a", "--all"}, description = "Signal every process in the container.")
    boolean all;

    @Option(names = "--id", description = "The id, when TARGET is a spec file.")
    String id;

    @Override
    int execute(StateStore store) throws JrunException {
        int number = Signals.parse(signal).orElseThrow(() -> new JrunException.InvalidInput(
                "unknown signal \"" + signal + "\"; use a name such as TERM, KILL, HUP or a number from 1 to 64"));
        new Kill(store).kill(ContainerTarget.idOf(target, id), number, all);
        return ExitCodes.OK;
    }
}
