package dev.jrun.cli;

import dev.jrun.error.JrunException;
import dev.jrun.lifecycle.Delete;
import dev.jrun.state.StateStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "delete", description = "Remove a stopped container (any container with --force, which kills it first).")
final class DeleteCommand extends LifecycleCommand {
    @Parameters(paramLabel = "TARGET", description = "Container id, or its spec file.")
    String target;

    @Option(names = {"-f", "--force"}, description = "Kill the container first if it is still alive.")
    boolean force;

    @Option(names = "--id", description = "The id, when TARGET is a spec file.")
    String id;

    @Override
    int execute(StateStore store) throws JrunException {
        new Delete(store).delete(ContainerTarget.idOf(target, id), force);
        return ExitCodes.OK;
    }
}
