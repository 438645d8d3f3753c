package dev.jrun.cli;

import dev.jrun.error.JrunException;
import dev.jrun.lifecycle.Create;
import dev.jrun.state.StateStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(description = {
    "Create a container: namespaces, id maps, mounts, pivot_root, hostname; its init waits for `jrun start`.",
    "TARGET is a container id (the bundle is --bundle or the current directory), or a spec file (its stem is the id)."})
final class CreateCommand extends LifecycleCommand {
    @Mixin
    CreateOptions options;

    @Override
    int execute(StateStore store) throws JrunException {
        new Create(store, processes(), debugOut(), warnings()).create(options.toRequest(false, global.systemdCgroup));
        return ExitCodes.OK;
    }
}
