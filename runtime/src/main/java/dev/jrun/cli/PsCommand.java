package dev.jrun.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.jrun.error.JrunException;
import dev.jrun.lifecycle.Ps;
import dev.jrun.state.StateStore;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** runc's ps: options end at the container (what follows is ps(1)'s: `jrun ps web -o pid,comm`). */
@Command(description = "List the container's processes (host pids): ps(1)'s table of them, or a JSON array of pids.")
final class PsCommand extends LifecycleCommand implements CommandTree.StopsAtTarget {
    enum Format { table, json }

    @Mixin
    ExistingContainer container;

    @Option(names = {"-f", "--format"}, defaultValue = "table", description = "table (ps(1)'s output) or json (the pids) (default: ${DEFAULT-VALUE}).")
    Format format;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "PS_ARG", description = "Options for ps(1) (default: -ef); its output must have a PID column.")
    List<String> psArgs = new ArrayList<>();

    @Override
    int execute(StateStore store) throws JrunException {
        Ps ps = new Ps(store, processes());
        if (format == Format.json) {
            ArrayNode pids = JsonNodeFactory.instance.arrayNode();
            ps.pids(container.id()).forEach(pids::add);
            out().println(pids);
        } else {
            out().print(ps.table(container.id(), psArgs == null ? List.of() : psArgs));
        }
        out().flush();
        return ExitCodes.OK;
    }
}
