package dev.jrun.cli;

import dev.jrun.error.JrunException;
import dev.jrun.lifecycle.Pause;
import dev.jrun.state.StateStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(description = "Suspend every process of a created or running container (its cgroup's freezer); `resume` lets them go on.")
final class PauseCommand extends LifecycleCommand {
    @Mixin
    ExistingContainer container;

    @Override
    int execute(StateStore store) throws JrunException {
        new Pause(store, processes()).pause(container.id());
        return ExitCodes.OK;
    }
}
