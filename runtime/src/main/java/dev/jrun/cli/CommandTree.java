package dev.jrun.cli;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * jrun's command line as picocli sees it: the top-level command with its global options, and the one list of its
 * subcommands. picocli builds its model of a command from annotations, through reflection and a proxy class per
 * annotation type, and a fresh JVM pays milliseconds for each (docs/benchmarks.md, "Cold commands"); so a command
 * line gets the model of the subcommand it names only, and one that picocli might answer with the others in mind
 * gets them all.
 */
final class CommandTree {
    /** A subcommand: the word (and aliases) that name it, and a new instance of its command class. */
    record Subcommand(String name, List<String> aliases, Supplier<Object> command) {}

    /** A command whose options end at its first argument: what follows belongs to another program (ps's ps(1) options). */
    interface StopsAtTarget {}

    /** picocli's `help` describes its siblings: it never comes alone. */
    private static final String HELP = "help";

    /** Every subcommand, in the order `jrun --help` lists them. */
    static final List<Subcommand> SUBCOMMANDS = List.of(
            new Subcommand("create", List.of(), CreateCommand::new),
            new Subcommand("start", List.of(), StartCommand::new),
            new Subcommand("state", List.of(), StateCommand::new),
            new Subcommand("kill", List.of(), KillCommand::new),
            new Subcommand("pause", List.of(), PauseCommand::new),
            new Subcommand("resume", List.of(), ResumeCommand::new),
            new Subcommand("delete", List.of(), DeleteCommand::new),
            new Subcommand("list", List.of(), ListCommand::new),
            new Subcommand("ps", List.of(), PsCommand::new),
            new Subcommand("update", List.of(), UpdateCommand::new),
            new Subcommand("events", List.of(), EventsCommand::new),
            new Subcommand("run", List.of(), RunCommand::new),
            new Subcommand("exec", List.of(), ExecCommand::new),
            new Subcommand("validate", List.of(), ValidateCommand::new),
            new Subcommand("spec", List.of(), SpecCommand::new),
            new Subcommand("features", List.of(), FeaturesCommand::new),
            new Subcommand("server", List.of(), ServerCommand::new),
            new Subcommand(HELP, List.of(), CommandTree::helpCommand));

    private CommandTree() {}

    /** The top-level command with its global options and no subcommand. */
    static CommandLine root() {
        return new CommandLine(new JrunCommand());
    }

    /** The top-level command with the given subcommands, in their order. */
    static CommandLine with(List<Subcommand> subcommands) {
        CommandLine jrun = root();
        for (Subcommand subcommand : subcommands) {
            CommandLine verb = new CommandLine(subcommand.command().get());
            jrun.addSubcommand(subcommand.name(), verb, subcommand.aliases().toArray(String[]::new));
            if (verb.getCommand() instanceof StopsAtTarget) {
                verb.setStopAtPositional(true);
            }
            // Each usage error ends "Run 'jrun VERB --help'": every verb takes -h/--help, added here once rather than on each class.
            if (verb.getCommandSpec().findOption("--help") == null) {
                verb.getCommandSpec().addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                        .description("Show this help message and exit.").build());
            }
        }
        return jrun;
    }

    /**
     * The subcommands args needs. picocli reads global options up to the first word that is none; that word names
     * the subcommand, which reads the rest. So when the global options are plain (flags, and options followed by a
     * value that is neither option-like nor a subcommand's name, which picocli would refuse as a value), the command
     * line needs only the subcommand named after them, and `--version` as the last word needs none. Anything else (no
     * subcommand, help, an unknown word, an unusual option form) gets every subcommand, so that picocli answers
     * exactly as it does with the whole tree: suggestions, help and its usage errors.
     */
    static List<Subcommand> needed(String[] args, CommandSpec jrun) {
        String separator = jrun.parser().separator();
        int i = 0;
        while (i < args.length) {
            String arg = args[i];
            int attached = arg.startsWith("--") ? arg.indexOf(separator) : -1;
            OptionSpec option = jrun.optionsMap().get(attached > 0 ? arg.substring(0, attached) : arg);
            if (option == null) {
                return named(arg).filter(subcommand -> !subcommand.name().equals(HELP)).map(List::of).orElse(SUBCOMMANDS);
            }
            boolean flag = option.arity().max() == 0;
            boolean oneValue = option.arity().min() == 1 && option.arity().max() == 1;
            if (option.usageHelp() || (flag && attached > 0) || !(flag || oneValue)) {
                return SUBCOMMANDS;
            }
            if (option.versionHelp()) {
                return i == args.length - 1 ? List.of() : SUBCOMMANDS;
            }
            if (flag || attached > 0) {
                i++;
            } else if (i + 1 < args.length && !args[i + 1].startsWith("-") && named(args[i + 1]).isEmpty()) {
                i += 2;
            } else {
                return SUBCOMMANDS;
            }
        }
        return SUBCOMMANDS;
    }

    /**
     * Not `CommandLine.HelpCommand::new`: the AOT cache links this class's lambdas ahead of time, and the JDK 25 cache
     * assembly crashes ("Metadata ... should have been archived") on one that names a class the cache does not hold.
     * picocli's classes were such classes until the build rewrote them (runtime/src/build/UpgradeClassFiles.java);
     * this list should not depend on that.
     */
    private static Object helpCommand() {
        return new CommandLine.HelpCommand();
    }

    private static Optional<Subcommand> named(String word) {
        return SUBCOMMANDS.stream().filter(subcommand -> subcommand.name().equals(word) || subcommand.aliases().contains(word)).findFirst();
    }
}
