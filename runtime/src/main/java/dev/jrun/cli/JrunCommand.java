package dev.jrun.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The top-level command: global options and the list of subcommands. */
@Command(
        name = "jrun",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "An OCI container runtime. Specs are OCI config.json documents in JSON or YAML.",
        subcommands = {ValidateCommand.class, SpecCommand.class, FeaturesCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:the operation failed",
            "2:wrong command line",
            "3:the spec is invalid",
            "4:the spec file cannot be read"
        })
public final class JrunCommand implements Runnable {

    @Option(names = "--debug", description = "Print stack traces and per-stage timings.", scope = CommandLine.ScopeType.INHERIT)
    boolean debug;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "no command given");
    }

    static boolean debugRequested(CommandLine commandLine) {
        CommandLine top = commandLine;
        while (top.getParent() != null) {
            top = top.getParent();
        }
        return top.getCommand() instanceof JrunCommand jrun && jrun.debug;
    }
}
