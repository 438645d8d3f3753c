package dev.jrun.cli;

import dev.jrun.error.JrunException;
import dev.jrun.lifecycle.StateReport;
import dev.jrun.state.StateStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "state", description = "Print the container's OCI state as JSON.")
final class StateCommand extends LifecycleCommand {
    @Parameters(paramLabel = "TARGET", description = "Container id, or its spec file.")
    String target;

    @Option(names = "--id", description = "The id, when TARGET is a spec file.")
    String id;

    @Override
    int execute(StateStore store) throws JrunException {
        out().println(new StateReport(store).of(ContainerTarget.idOf(target, id)).toPrettyString());
        out().flush();
        return ExitCodes.OK;
    }
}
