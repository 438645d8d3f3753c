package dev.jrun.cli;

import dev.jrun.call.Invocation;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;

/** Entry point of bin/jrun. */
public final class Main {
    /** Every command of this JVM (the server runs many) takes its picocli model from here. */
    private static final CommandLinePool COMMAND_LINES = new CommandLinePool(Main::configure);

    private Main() {}

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        System.out.flush();
        System.exit(code);
    }

    /** Runs one jrun command without exiting the JVM (the AOT training run and tests call this). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Invocation own = Invocation.ofThisProcess();
        return run(args, new Invocation(own.cwd(), own.env(), out, err, own.helpers()));
    }

    /** Runs one jrun command for a caller: its working directory, environment, stdio and helper launcher (the server's entry). */
    public static int run(String[] args, Invocation invocation) {
        return invocation.run(() -> runHere(args, invocation.out(), invocation.err()));
    }

    private static int runHere(String[] args, PrintStream out, PrintStream err) {
        try (CommandLinePool.Lease lease = COMMAND_LINES.take(args)) {
            CommandLine cli = lease.commandLine();
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            return cli.execute(args);
        }
    }

    /** The settings every model of a jrun command line gets, once its subcommands are registered. */
    static CommandLine configure(CommandLine cli) {
        // Paths on the command line are the caller's: relative ones resolve against its working directory.
        cli.registerConverter(Path.class, value -> Invocation.current().resolve(Path.of(value)));
        // Every argument means what it says, as in runc, which has no argument files: `@x` is an id, not the
        // contents of file x (which the server would even look for in its own directory, not the caller's).
        cli.setExpandAtFiles(false);
        cli.setParameterExceptionHandler(Main::usageError);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> internalError(e, commandLine));
        return cli;
    }

    private static int usageError(CommandLine.ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        err.println("jrun: " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Run '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
        logError(e.getCommandLine(), e.getMessage());
        return ExitCodes.USAGE;
    }

    /** A bug or an unexpected system error: one line by default, the stack trace only under --debug. */
    private static int internalError(Exception e, CommandLine commandLine) {
        PrintWriter err = commandLine.getErr();
        err.println("jrun: internal error: " + e);
        if (JrunCommand.debugRequested(commandLine)) {
            e.printStackTrace(err);
        } else {
            err.println("jrun: run again with --debug for the stack trace, and report it.");
        }
        logError(commandLine, "internal error: " + e);
        return ExitCodes.FAILED;
    }

    /**
     * Errors of the command line itself go to --log too (when it was parsed before the error): containerd's shim and
     * podman read the reason from there, and without it report only that the log is missing.
     */
    private static void logError(CommandLine commandLine, String message) {
        JrunCommand.globalOptions(commandLine).filter(global -> global.log != null)
                .ifPresent(global -> ErrorReport.appendToLog(global, "error", message));
    }
}
