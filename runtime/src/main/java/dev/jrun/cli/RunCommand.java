package dev.jrun.cli;

import dev.jrun.call.Helper;
import dev.jrun.error.JrunException;
import dev.jrun.lifecycle.Create;
import dev.jrun.lifecycle.CreatedContainer;
import dev.jrun.lifecycle.Delete;
import dev.jrun.lifecycle.Start;
import dev.jrun.state.StateStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(description = {
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
        CreatedContainer created = new Create(store, processes(), debugOut(), warnings()).create(options.toRequest(!detach, global.systemdCgroup));
        if (detach) {
            startOrDelete(store, created);
            return ExitCodes.OK;
        }
        int status;
        // Signals are passed on from before start: one that arrived once the container runs but before the wait
        // would otherwise end jrun and leave the container behind.
        try (Helper.Forwarding _ = created.helper().forwardSignals()) {
            startOrDelete(store, created);
            status = created.helper().waitForwardingSignals();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = ExitCodes.FAILED;
        }
        new Delete(store, processes(), warnings()).delete(created.id(), true);
        return status;
    }

    private void startOrDelete(StateStore store, CreatedContainer created) throws JrunException {
        try {
            new Start(store, processes(), warnings()).start(created.id());
        } catch (JrunException e) {
            new Delete(store, processes(), warnings()).delete(created.id(), true);
            throw e;
        }
    }
}
