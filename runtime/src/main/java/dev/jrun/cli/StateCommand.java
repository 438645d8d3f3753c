package dev.jrun.cli;

import dev.jrun.error.JrunException;
import dev.jrun.lifecycle.StateReport;
import dev.jrun.state.StateStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(description = "Print the container's OCI state as JSON.")
final class StateCommand extends LifecycleCommand {
    @Mixin
    ExistingContainer container;

    @Override
    int execute(StateStore store) throws JrunException {
        out().println(new StateReport(store, processes()).of(container.id()).toPrettyString());
        out().flush();
        return ExitCodes.OK;
    }
}
