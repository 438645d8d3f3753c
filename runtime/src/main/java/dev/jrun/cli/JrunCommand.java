package dev.jrun.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The top-level command: the global options (its subcommands: {@link CommandTree}). */
@Command(
        name = "jrun",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "An OCI container runtime. Specs are OCI config.json documents in JSON or YAML.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:the operation failed",
            "2:wrong command line",
            "3:the spec is invalid",
            "4:the spec file cannot be read"
        })
public final class JrunCommand implements Runnable {

    @Option(names = "--debug", description = "Print the plan, per-stage timings and stack traces.")
    boolean debug;

    // No picocli default: it depends on who calls (StateRoot), and a reused model resets an option to its default.
    @Option(names = "--root", description = "Directory for container state (default: /run/jrun for root, $XDG_RUNTIME_DIR/jrun for other users).")
    java.nio.file.Path root;

    @Option(names = "--log", description = "Also write errors to this file (tools such as podman read it).")
    java.nio.file.Path log;

    @Option(names = "--log-format", defaultValue = "text", description = "Format of --log: text or json (default: ${DEFAULT-VALUE}).")
    LogFormat logFormat;

    // Read by the native client (docs/server.md), which runs the command in this JVM instead of the warm server; here,
    // in that JVM, there is nothing left to do with it.
    @Option(names = "--no-server", description = "Run this command in a JVM of its own, not in the warm server (as JRUN_SERVER=off).")
    boolean noServer;

    @Option(names = "--systemd-cgroup", description = "linux.cgroupsPath is slice:prefix:name, the cgroup systemd gives that scope (jrun makes it itself, without D-Bus).")
    boolean systemdCgroup;

    enum LogFormat { text, json }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "no command given");
    }

    /** --root, or the caller's default (docs/rootless.md). */
    java.nio.file.Path stateRoot() throws dev.jrun.error.JrunException.InvalidInput {
        dev.jrun.call.Invocation caller = dev.jrun.call.Invocation.current();
        return dev.jrun.state.StateRoot.choose(root, caller.credentials().uid(), caller.variable("XDG_RUNTIME_DIR"));
    }

    static boolean debugRequested(CommandLine commandLine) {
        return globalOptions(commandLine).map(jrun -> jrun.debug).orElse(false);
    }

    /** The global options as parsed so far, from any (sub)command's CommandLine. */
    static java.util.Optional<JrunCommand> globalOptions(CommandLine commandLine) {
        CommandLine top = commandLine;
        while (top.getParent() != null) {
            top = top.getParent();
        }
        return top.getCommand() instanceof JrunCommand jrun ? java.util.Optional.of(jrun) : java.util.Optional.empty();
    }
}
