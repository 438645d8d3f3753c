package dev.jrun.lifecycle;

import dev.jrun.error.JrunException;
import dev.jrun.state.ContainerLock;
import dev.jrun.state.ContainerState;
import dev.jrun.state.StateStore;
import dev.jrun.state.Status;
import dev.jrun.state.StatusProbe;
import dev.jrun.sys.NativeException;
import dev.jrun.sys.Signals;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** `kill`: sends a signal to the container's init, or with --all to every process in its pid namespace. */
public final class Kill {
    private final StateStore store;

    public Kill(StateStore store) {
        this.store = store;
    }

    public void kill(String id, int signal, boolean all) throws JrunException {
        try (ContainerLock _ = store.lock(id)) {
            ContainerState state = store.read(id);
            Status status = new StatusProbe(store).statusOf(state);
            if (!status.canKill()) {
                throw new JrunException.IncorrectStatus(id, "kill", status.label(), "created or running");
            }
            List<Long> targets = all ? processesSharingPidNamespace(state.pid()) : List.of(state.pid());
            for (long pid : targets) {
                try {
                    Signals.send(pid, signal);
                } catch (NativeException e) {
                    throw new JrunException.SystemFailure("cannot signal pid " + pid + " of container \"" + id + "\": " + e.getMessage(), e);
                }
            }
        }
    }

    /** Every process whose pid namespace is the init's: the whole container, seen from outside. */
    static List<Long> processesSharingPidNamespace(long initPid) throws JrunException {
        Path initNamespace = Path.of("/proc", Long.toString(initPid), "ns", "pid");
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            String target = Files.readSymbolicLink(initNamespace).toString();
            return entries.map(p -> p.getFileName().toString()).filter(name -> name.matches("\\d+"))
                    .map(Long::parseLong)
                    .filter(pid -> target.equals(namespaceOf(pid)))
                    .toList();
        } catch (IOException e) {
            throw new JrunException.SystemFailure("cannot list the container's processes: " + e.getMessage(), e);
        }
    }

    private static String namespaceOf(long pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", "pid")).toString();
        } catch (IOException e) {
            return null; // exited meanwhile, or not ours to read
        }
    }
}
