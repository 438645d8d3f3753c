package dev.jrun.cli;

import dev.jrun.error.JrunException;
import dev.jrun.lifecycle.Delete;
import dev.jrun.state.StateStore;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(description = "Remove a stopped container (any container with --force, which kills it first).")
final class DeleteCommand extends LifecycleCommand {
    @Mixin
    ExistingContainer container;

    @Option(names = {"-f", "--force"}, description = "Kill the container first if it is still alive.")
    boolean force;

    @Override
    int execute(StateStore store) throws JrunException {
        report(new Delete(store, processes(), warnings()).delete(container.id(), force), container.id(), err());
        return ExitCodes.OK;
    }

    /** Says what an interrupted create or start had left and delete removed; an ordinary delete is silent, as runc's. */
    private static void report(Delete.Outcome outcome, String id, PrintWriter err) {
        if (!outcome.leftoversRemoved().isEmpty()) {
            err.println("jrun: delete: removed what an interrupted create of \"" + id + "\" left: "
                    + String.join(", ", outcome.leftoversRemoved()));
            err.flush();
        }
    }
}
