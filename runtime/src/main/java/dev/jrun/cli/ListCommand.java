package dev.jrun.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jrun.error.JrunException;
import dev.jrun.lifecycle.StateReport;
import dev.jrun.state.StateStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(description = "List containers: a table, ids only (-q), or JSON (--format json).")
final class ListCommand extends LifecycleCommand {
    enum Format { table, json }

    @Option(names = {"-q", "--quiet"}, description = "Print ids only.")
    boolean quiet;

    @Option(names = {"-f", "--format"}, defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE}).")
    Format format;

    @Override
    int execute(StateStore store) throws JrunException {
        StateReport report = new StateReport(store, processes());
        ArrayNode all = JsonNodeFactory.instance.arrayNode();
        for (String id : store.ids()) {
            try {
                all.add(report.of(id));
            } catch (JrunException.NotFound gone) {
                // deleted while we listed
            } catch (JrunException.SystemFailure unreadable) {
                // One damaged container must not hide the others: it is named here, the rest are listed.
                err().println("jrun: list: " + unreadable.getMessage());
            }
        }
        if (quiet) {
            all.forEach(state -> out().println(state.get("id").asText()));
        } else if (format == Format.json) {
            out().println(all.toPrettyString());
        } else {
            out().printf("%-24s %-8s %-9s %-40s %s%n", "ID", "PID", "STATUS", "BUNDLE", "CREATED");
            for (var node : all) {
                ObjectNode state = (ObjectNode) node;
                out().printf("%-24s %-8d %-9s %-40s %s%n", state.get("id").asText(), state.get("pid").asLong(),
                        state.get("status").asText(), state.get("bundle").asText(), state.get("created").asText());
            }
        }
        out().flush();
        return ExitCodes.OK;
    }
}
