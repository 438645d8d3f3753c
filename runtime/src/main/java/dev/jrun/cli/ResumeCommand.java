package dev.jrun.cli;

import dev.jrun.error.JrunException;
import dev.jrun.lifecycle.Pause;
import dev.jrun.state.StateStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(description = "Resume every process of a paused container.")
final class ResumeCommand extends LifecycleCommand {
    @Mixin
    ExistingContainer container;

    @Override
    int execute(StateStore store) throws JrunException {
        new Pause(store, processes()).resume(container.id());
        return ExitCodes.OK;
    }
}
