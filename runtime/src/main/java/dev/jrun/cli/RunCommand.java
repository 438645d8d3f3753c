package dev.jrun.cli;

import dev.jrun.error.JrunException;
import dev.jrun.lifecycle.Create;
import dev.jrun.lifecycle.CreatedContainer;
import dev.jrun.lifecycle.Delete;
import dev.jrun.lifecycle.Start;
import dev.jrun.plan.Step;
import dev.jrun.state.StateStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run", description = {
    "Create and start a container, wait for its process and exit with its exit status, then delete it.",
    "With --detach: create and start, and return at once."})
final class RunCommand extends LifecycleCommand {
    @Mixin
    CreateOptions options;

    @Option(names = {"-d", "--detach"}, description = "Return once the container runs.")
    boolean detach;

    @Override
    int execute(StateStore store) throws JrunException {
        // Foreground: the helper stays jrun's child, waits for the init and exits with its status.
        Step.Clone.Mode mode = detach ? Step.Clone.Mode.DETACH : Step.Clone.Mode.FOREGROUND;
        CreatedContainer created = new Create(store, debugOut(), err()).create(options.toRequest(mode));
        try {
            new Start(store).start(created.id());
        } catch (JrunException e) {
            new Delete(store).delete(created.id(), true);
            throw e;
        }
        if (detach) {
            return ExitCodes.OK;
        }
        int status;
        try {
            status = created.helper().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = ExitCodes.FAILED;
        }
        new Delete(store).delete(created.id(), true);
        return status;
    }
}
