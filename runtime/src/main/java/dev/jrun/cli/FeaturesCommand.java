package dev.jrun.cli;

import dev.jrun.features.RuntimeFeatures;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(description = "Print what this jrun implements, as the OCI features JSON document.")
final class FeaturesCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() {
        command.commandLine().getOut().println(RuntimeFeatures.document(VersionProvider.jrunVersion()).toPrettyString());
        command.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
