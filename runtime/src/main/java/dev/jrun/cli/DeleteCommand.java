package dev.jrun.cli;

import dev.jrun.error.JrunException;
import dev.jrun.lifecycle.Delete;
import dev.jrun.state.StateStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "delete", description = "Remove a stopped container (any container with --force, which kills it first).")
final class DeleteCommand extends LifecycleCommand {
    @Mixin
    ExistingContainer container;

    @Option(names = {"-f", "--force"}, description = "Kill the container first if it is still alive.")
    boolean force;

    @Override
    int execute(StateStore store) throws JrunException {
        new Delete(store).delete(container.id(), force);
        return ExitCodes.OK;
    }
}
