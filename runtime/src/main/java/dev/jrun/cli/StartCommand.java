package dev.jrun.cli;

import dev.jrun.error.JrunException;
import dev.jrun.lifecycle.Start;
import dev.jrun.state.StateStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "start", description = "Run the user's process in a created container.")
final class StartCommand extends LifecycleCommand {
    @Parameters(paramLabel = "TARGET", description = "Container id, or its spec file.")
    String target;

    @Option(names = "--id", description = "The id, when TARGET is a spec file.")
    String id;

    @Override
    int execute(StateStore store) throws JrunException {
        new Start(store).start(ContainerTarget.idOf(target, id));
        return ExitCodes.OK;
    }
}
