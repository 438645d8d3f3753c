package dev.jrun.cli;

import dev.jrun.cli.CommandTree.Subcommand;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.UnaryOperator;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Command lines built once and parsed again: a warm server runs many commands, and building picocli's model of jrun
 * and a subcommand costs each a few milliseconds (docs/benchmarks.md, "Cold commands"). picocli resets every option and parameter to
 * its initial or default value before each parse, and jrun's commands keep no other state, so a model parses the
 * next command line exactly as a new one would. A model is not thread-safe: each serves one command at a time, and
 * there are as many of each kind as commands of that kind ran at once.
 */
final class CommandLinePool {
    /** jrun's global options, only read (never parsed with) to tell which subcommands a command line needs. */
    private final CommandSpec globalOptions = CommandTree.root().getCommandSpec();
    /** Idle models by the subcommands registered on them (one, none, or all of them in order). */
    private final Map<List<Subcommand>, Queue<CommandLine>> idle = new ConcurrentHashMap<>();
    private final UnaryOperator<CommandLine> configure;

    /** configure: applied to each new model once its subcommands are registered (picocli's settings reach only those). */
    CommandLinePool(UnaryOperator<CommandLine> configure) {
        this.configure = configure;
    }

    /** A model for args, out of the pool until the lease is closed. */
    Lease take(String[] args) {
        List<Subcommand> subcommands = CommandTree.needed(args, globalOptions);
        Queue<CommandLine> models = idle.computeIfAbsent(subcommands, key -> new ConcurrentLinkedQueue<>());
        CommandLine model = models.poll();
        return new Lease(models, model != null ? model : configure.apply(CommandTree.with(subcommands)));
    }

    /** One model in use; closing it returns the model, holding no caller's output stream. */
    record Lease(Queue<CommandLine> models, CommandLine commandLine) implements AutoCloseable {
        @Override
        public void close() {
            PrintWriter nowhere = new PrintWriter(OutputStream.nullOutputStream());
            commandLine.setOut(nowhere);
            commandLine.setErr(nowhere);
            models.add(commandLine);
        }
    }
}
