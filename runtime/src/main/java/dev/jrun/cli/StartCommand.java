package dev.jrun.cli;

import dev.jrun.error.JrunException;
import dev.jrun.lifecycle.Start;
import dev.jrun.state.StateStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(description = "Run the user's process in a created container.")
final class StartCommand extends LifecycleCommand {
    @Mixin
    ExistingContainer container;

    @Override
    int execute(StateStore store) throws JrunException {
        new Start(store, processes(), warnings()).start(container.id());
        return ExitCodes.OK;
    }
}
