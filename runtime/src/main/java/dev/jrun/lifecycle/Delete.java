package dev.jrun.lifecycle;

import dev.jrun.cgroup.CgroupPaths;
import dev.jrun.error.JrunException;
import dev.jrun.hook.HookFailure;
import dev.jrun.hook.HookKind;
import dev.jrun.hook.HookRunner;
import dev.jrun.spec.model.Hooks;
import dev.jrun.state.ContainerLock;
import dev.jrun.state.ContainerState;
import dev.jrun.state.Phase;
import dev.jrun.state.StateStore;
import dev.jrun.status.Status;
import dev.jrun.status.Verb;
import dev.jrun.state.StatusProbe;
import dev.jrun.sys.KnownProcess;
import dev.jrun.sys.ProcessTable;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * `delete`: removes what create made; refuses a live container unless --force, which kills it first.
 * With --force it also clears whatever an interrupted create or start left, and a missing id is not
 * an error (runc's behaviour, which podman and containerd rely on after a failed create).
 */
public final class Delete {
    private final StateStore store;
    private final ProcessTable processes;
    private final PrintWriter log;

    /** For callers without a runtime log (tests): hook output and warnings go to this JVM's stderr. */
    public Delete(StateStore store, ProcessTable processes) {
        this(store, processes, new PrintWriter(System.err, true));
    }

    /** @param log the runtime's log (--log, else stderr): hook output and poststop warnings */
    public Delete(StateStore store, ProcessTable processes, PrintWriter log) {
        this.store = store;
        this.processes = processes;
        this.log = log;
    }

    /** What delete did beyond the ordinary: the leftovers of an interrupted create, named for the user. */
    public record Outcome(List<String> leftoversRemoved) {
        public Outcome {
            leftoversRemoved = List.copyOf(leftoversRemoved);
        }
    }

    public Outcome delete(String id, boolean force) throws JrunException {
        ContainerLock lock;
        try {
            lock = store.lock(id);
        } catch (JrunException.NotFound missing) {
            if (force) {
                return new Outcome(List.of());
            }
            throw missing;
        }
        try (ContainerLock _ = lock) {
            if (store.isStateless(id)) {
                return removeStateless(id, force);
            }
            ContainerState state = readOrRefuse(id);
            StatusProbe probe = new StatusProbe(processes);
            Status status = probe.statusOf(state);
            if (!Verb.DELETE.allows(status) && !force) {
                throw new JrunException.IncorrectStatus(id, Verb.DELETE, status);
            }
            List<String> leftovers = new ArrayList<>();
            boolean interrupted = state.phase() == Phase.CREATING;
            // Also for a "stopped" container whose create was killed: its init may still be alive.
            Optional<KnownProcess> init = probe.initOf(state);
            Optional<CgroupMembers> members = CgroupMembers.of(state, processes);
            if (members.isPresent()) {
                // Everything in the container's cgroups, the init too, and any process that outlived it in a
                // pid namespace the container shares (as runc's delete does); a paused container is thawed to die.
                members.get().killAndRemove();
            }
            if (init.isPresent()) {
                if (processes.isAlive(init.get())) {
                    InitProcess.killAndWait(processes, id, init.get());
                }
                if (interrupted) {
                    leftovers.add("the init (pid " + init.get().pid() + ")");
                }
            }
            if (HostNetwork.remove(state) && interrupted) {
                leftovers.add("the host interface " + state.hostInterface().name());
            }
            removeHostMounts(state);
            // Read before the state directory goes; run after it, once the id is free (config.md: after the
            // container is deleted). A create that never finished never ran its process: no poststop for it.
            Hooks hooks = interrupted ? null : SavedHooks.of(store.directoryOf(id), id);
            store.remove(id);
            runPoststop(state, hooks);
            if (interrupted) {
                leftovers.add("the state directory");
            }
            return new Outcome(leftovers);
        }
    }

    /**
     * A container without a mount namespace of its own: what create mounted in jrun's, now that nothing of it runs. A
     * mount that stays fails delete before the state goes, so that the state still names it for another try.
     */
    private void removeHostMounts(ContainerState state) throws JrunException {
        List<String> left = HostMountTable.remove(state.hostMounts());
        if (!left.isEmpty()) {
            throw new JrunException.SystemFailure("container \"" + state.id() + "\" is stopped, but not all it mounted in jrun's mount"
                    + " namespace went: " + String.join("; ", left) + "; its state stays, so that `jrun delete --force "
                    + state.id() + "` can try again once that is fixed", null);
        }
    }

    /** Warnings only: delete has removed everything already and succeeds whatever a poststop hook does. */
    private void runPoststop(ContainerState state, Hooks hooks) {
        if (hooks == null || hooks.poststop().isEmpty()) {
            return;
        }
        String json = HookState.of(new HookState.Identity(state.ociVersion(), state.id(), state.bundle(), state.annotations()),
                "stopped", 0);
        for (HookFailure failure : new HookRunner(log, dev.jrun.call.Invocation.current().cwd()).runAllTolerating(HookKind.POSTSTOP, hooks, json)) {
            log.println("jrun: warning: " + failure.getMessage());
        }
        log.flush();
    }

    /**
     * An unreadable state.json names no init and no interface: nothing can be cleaned safely, and
     * removing the directory would only hide them. The error says so, even with --force.
     */
    private ContainerState readOrRefuse(String id) throws JrunException {
        try {
            return store.read(id);
        } catch (JrunException.SystemFailure unreadable) {
            throw new JrunException.SystemFailure(unreadable.getMessage() + "; so jrun cannot tell which processes, interface"
                    + " and cgroups are the container's, and it removed nothing. Once nothing of the container runs, remove "
                    + store.directoryOf(id) + " by hand, and with rmdir its cgroup directories (" + CgroupPaths.DEFAULT_PARENT
                    + "/" + id + " in each hierarchy under /sys/fs/cgroup, unless its spec named linux.cgroupsPath)", unreadable);
        }
    }

    /** A directory with no state.json: what a create killed before state was reserved whole left (older builds). */
    private Outcome removeStateless(String id, boolean force) throws JrunException {
        if (!force) {
            throw new JrunException.InvalidInput("container \"" + id + "\" has no state: what an interrupted create of an older"
                    + " jrun left; `jrun delete --force " + id + "` removes it");
        }
        store.remove(id);
        return new Outcome(List.of("a state directory without state (an interrupted create)"));
    }
}
