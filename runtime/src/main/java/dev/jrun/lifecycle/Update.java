package dev.jrun.lifecycle;

import dev.jrun.cgroup.CgroupUpdate;
import dev.jrun.cgroup.ControllerWrite;
import dev.jrun.cgroup.ResourceWrites;
import dev.jrun.error.JrunException;
import dev.jrun.spec.model.Resources;
import dev.jrun.state.ContainerLock;
import dev.jrun.state.StateStore;
import dev.jrun.status.Verb;
import dev.jrun.sys.ProcessTable;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * `update`: new resource limits written into a container's cgroups, as create wrote its first ones (docs/cli.md,
 * "update"). Allowed while the container's processes exist (created, running, paused); refused once it has stopped,
 * as runc refuses it.
 */
public final class Update {
    /** A spec pointer into linux.resources as the translation names settings in its refusals. */
    private static final Pattern POINTER = Pattern.compile("/linux/resources(/[A-Za-z0-9_./-]*[A-Za-z0-9_])?");

    private final StateStore store;
    private final ProcessTable processes;

    public Update(StateStore store, ProcessTable processes) {
        this.store = store;
        this.processes = processes;
    }

    /**
     * Applies request to the container's cgroups.
     *
     * @param fileName how refusals name the --resources document ("-" is standard input)
     * @return warnings: settings given and not applied
     */
    public List<String> update(String id, ResourceRequest request, String fileName) throws JrunException {
        try (ContainerLock _ = store.lock(id)) {
            CgroupUpdate cgroups = new CgroupUpdate(LiveCgroups.of(store.read(id), processes, Verb.UPDATE, "update the limits"));
            Resources resources = cgroups.withPresentLimit(request.resources());
            ResourceWrites writes;
            try {
                writes = cgroups.translate(resources);
            } catch (JrunException.InvalidSpec e) {
                String problems = e.getMessage().substring(e.getMessage().indexOf('\n') + 1);
                throw new JrunException.InvalidInput("cannot update container \"" + id + "\": nothing was changed:\n"
                        + named(problems, request, fileName));
            }
            List<ControllerWrite> labelled = writes.writes().stream().map(w -> new ControllerWrite(w.controller(), w.file(),
                    w.value(), request.sourceOf(w.source(), fileName))).toList();
            cgroups.apply(new ResourceWrites(labelled, writes.warnings()));
            List<String> warnings = new ArrayList<>(request.warnings());
            writes.warnings().forEach(w -> warnings.add(named(w, request, fileName)));
            return warnings;
        }
    }

    /** text with each spec pointer replaced by the flag or the place in the document it came from. */
    private static String named(String text, ResourceRequest request, String fileName) {
        Matcher matcher = POINTER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(out, Matcher.quoteReplacement(request.sourceOf(matcher.group(), fileName)));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
