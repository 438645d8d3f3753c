package dev.jrun.lifecycle;

import dev.jrun.error.JrunException;
import dev.jrun.state.ContainerState;
import dev.jrun.state.StateStore;
import dev.jrun.state.StatusProbe;
import dev.jrun.sys.ProcessTable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * `ps`: the container's processes, as the pids of its cgroups (host pids, as runc lists them; without cgroups, of its
 * own pid namespace), or as the host's ps(1) table cut down to their lines. Any status: a stopped container's cgroups are empty, or hold what outlived its init.
 */
public final class Ps {
    private final StateStore store;
    private final ProcessTable processes;

    public Ps(StateStore store, ProcessTable processes) {
        this.store = store;
        this.processes = processes;
    }

    /**
     * The host pids in the container's cgroups, ascending; for a container without cgroups (rootless), those of its own
     * pid namespace, which are provably its own too.
     */
    public List<Long> pids(String id) throws JrunException {
        ContainerState state = store.read(id);
        var members = CgroupMembers.of(state, processes);
        if (members.isPresent()) {
            return List.copyOf(members.get().pids());
        }
        var init = new StatusProbe(processes).initOf(state);
        if (init.isEmpty()) {
            return List.of(); // stopped: its pid namespace ended with its init
        }
        return new ContainerProcesses(processes).pids(init.get()).orElseThrow(() -> new JrunException.InvalidInput(
                LiveCgroups.noCgroups(id, "list its processes") + ", nor tell them from others: it has no pid namespace of its own"));
    }

    /** ps(1) run with psArgs (default -ef), its header and the lines of the container's processes. */
    public String table(String id, List<String> psArgs) throws JrunException {
        List<Long> pids = pids(id);
        List<String> command = new ArrayList<>(List.of("ps"));
        command.addAll(psArgs.isEmpty() ? List.of("-ef") : psArgs);
        return onlyPids(run(command), Set.copyOf(pids), command);
    }

    /**
     * ps's header and the lines whose PID column (where the header says PID) is one of pids. As runc: the columns
     * are split at whitespace, so a column before PID whose values hold spaces breaks the match.
     */
    static String onlyPids(String output, Set<Long> pids, List<String> command) throws JrunException {
        List<String> lines = output.lines().toList();
        String header = lines.isEmpty() ? "" : lines.getFirst();
        int pidColumn = List.of(header.strip().split("\\s+")).indexOf("PID");
        if (pidColumn < 0) {
            throw new JrunException.InvalidInput("`" + String.join(" ", command) + "` printed no PID column (header: \"" + header
                    + "\"); give ps options that keep it, such as -ef or -o pid,comm");
        }
        StringBuilder out = new StringBuilder(header).append('\n');
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.strip().split("\\s+");
            long pid;
            try {
                pid = Long.parseLong(fields.length > pidColumn ? fields[pidColumn] : "");
            } catch (NumberFormatException e) {
                throw new JrunException.InvalidInput("`" + String.join(" ", command) + "` printed \"" + line
                        + "\", whose PID column is not a number");
            }
            if (pids.contains(pid)) {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }

    private static String run(List<String> command) throws JrunException {
        try {
            Process ps = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            CompletableFuture<String> errors = CompletableFuture.supplyAsync(() -> readAll(ps.getErrorStream()));
            String output = readAll(ps.getInputStream());
            int code = ps.waitFor();
            if (code != 0) {
                throw new JrunException.SystemFailure("`" + String.join(" ", command) + "` failed with exit status " + code + ": "
                        + errors.join().strip(), null);
            }
            return output;
        } catch (IOException e) {
            throw new JrunException.SystemFailure("cannot run `" + String.join(" ", command) + "`: " + e.getMessage()
                    + " (ps --format table needs ps(1) on the PATH; --format json does not)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JrunException.SystemFailure("interrupted while `" + String.join(" ", command) + "` ran", e);
        }
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
