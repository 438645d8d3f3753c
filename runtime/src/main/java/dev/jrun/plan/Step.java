package dev.jrun.plan;

import java.util.List;

/**
 * One primitive step of a plan that jrun-init executes in order (docs/init-protocol.md).
 * The records carry exactly the protocol's arguments; Java has already made every decision.
 */
public sealed interface Step {

    /** The operation this step is (opcode, name and signature live in {@link Op}). */
    Op op();

    /** The protocol's name, as the helper reports it in errors. */
    default String name() {
        return op().protocolName();
    }

    /** Opened now, while the path can still be opened; joined by the next {@link EnterNamespaces}. */
    record OpenNamespace(String path, long nstype) implements Step {
        public Op op() { return Op.OPEN_NS; }
    }

    /** keyctl(KEYCTL_JOIN_SESSION_KEYRING, name): a new session keyring (ENOSYS, a kernel without keys, is skipped). */
    record JoinKeyring(String name) implements Step {
        public Op op() { return Op.JOIN_KEYRING; }
    }

    /** A mount (a tmpfs) over a directory of the rootfs, which then holds a copy of what the directory held (tmpcopyup). */
    record CopyUp(String source, String target, String fstype, long flags, String data) implements Step {
        public Op op() { return Op.COPY_UP; }
    }

    /** Joins every namespace opened since the last one, in the order they were opened. */
    record EnterNamespaces() implements Step {
        public Op op() { return Op.ENTER_NS; }
    }

    record Unshare(long flags) implements Step {
        public Op op() { return Op.UNSHARE; }
    }

    /**
     * The parent reports the child's pid; DETACH exits at once, FOREGROUND stays the child's parent, relays
     * {@code relayedSignals} to it and passes on its exit status. Which signals are relayed is the planner's
     * choice; DETACH relays none.
     */
    record Clone(long flags, Mode mode, List<Integer> relayedSignals) implements Step {
        /**
         * The protocol's modes 0, 1 and 2, in that order: DETACH exits at once (create's init waits for start);
         * FOREGROUND waits for the child, relaying signals; DETACH_ONCE_EXECED exits once the child has exec'd, or
         * reaps it and exits with its status if it died first (exec --detach: no zombie left for the caller).
         */
        public enum Mode { DETACH, FOREGROUND, DETACH_ONCE_EXECED }
        public Clone {
            relayedSignals = List.copyOf(relayedSignals);
            if (mode != Mode.FOREGROUND && !relayedSignals.isEmpty()) {
                throw new IllegalArgumentException("a detached clone has no parent left to relay signals");
            }
        }
        public Op op() { return Op.CLONE; }
    }

    record Sync(SyncPoint point) implements Step {
        public Op op() { return Op.SYNC; }
    }

    record Mount(String source, String target, String fstype, long flags, String data) implements Step {
        public Op op() { return Op.MOUNT; }
    }

    record MakeDirectories(String path, long mode) implements Step {
        public Op op() { return Op.MKDIRS; }
    }

    record PivotRoot(String newRoot) implements Step {
        public Op op() { return Op.PIVOT_ROOT; }
    }

    record MoveRoot(String newRoot) implements Step {
        public Op op() { return Op.MOVE_ROOT; }
    }

    /**
     * The root of a container without a mount namespace of its own: pivot_root and MS_MOVE would change the root of
     * every process in the runtime's mount namespace. newRoot may be /proc/PID/root, the init's root, for exec.
     */
    record Chroot(String newRoot) implements Step {
        public Op op() { return Op.CHROOT; }
    }

    record SetHostname(String hostname) implements Step {
        public Op op() { return Op.SETHOSTNAME; }
    }

    record SetDomainname(String domainname) implements Step {
        public Op op() { return Op.SETDOMAINNAME; }
    }

    record Chdir(String path) implements Step {
        public Op op() { return Op.CHDIR; }
    }

    /** soft and hard are unsigned 64-bit; -1 is RLIM_INFINITY. */
    record SetRlimit(int resource, long soft, long hard) implements Step {
        public Op op() { return Op.SETRLIMIT; }
    }

    record SetGroups(List<Long> gids) implements Step {
        public SetGroups {
            gids = List.copyOf(gids);
        }
        public Op op() { return Op.SETGROUPS; }
    }

    record SetResGid(long gid) implements Step {
        public Op op() { return Op.SETRESGID; }
    }

    record SetResUid(long uid) implements Step {
        public Op op() { return Op.SETRESUID; }
    }

    record Umask(long mask) implements Step {
        public Op op() { return Op.UMASK; }
    }

    record Prctl(long option, long arg2) implements Step {
        public Op op() { return Op.PRCTL; }
    }

    record ListenStart(String socketPath) implements Step {
        public Op op() { return Op.LISTEN_START; }
    }

    record Ready() implements Step {
        public Op op() { return Op.READY; }
    }

    record AwaitStart() implements Step {
        public Op op() { return Op.AWAIT_START; }
    }

    /** An empty path means: the program found by the preceding LOOKUP. */
    record Exec(String path, List<String> args, List<String> env) implements Step {
        public Exec {
            args = List.copyOf(args);
            env = List.copyOf(env);
        }
        public Op op() { return Op.EXEC; }
    }

    record Symlink(String target, String linkPath) implements Step {
        public Op op() { return Op.SYMLINK; }
    }

    record Mknod(String path, long mode, long major, long minor) implements Step {
        public Op op() { return Op.MKNOD; }
    }

    record WriteFile(String path, String content) implements Step {
        public Op op() { return Op.WRITE_FILE; }
    }

    record Lookup(String program, String searchPath) implements Step {
        public Op op() { return Op.LOOKUP; }
    }

    /** Descriptors 3 .. 3+preserved-1 stay open into the process (--preserve-fds); every other one above 2 closes on exec. */
    record CloseFds(int preserved) implements Step {
        public Op op() { return Op.CLOSE_FDS; }
    }

    record CreateFile(String path, long mode) implements Step {
        public Op op() { return Op.CREATE_FILE; }
    }

    /** A directory under a read-only tmpfs, anything else under /dev/null; a missing path is skipped. */
    record MaskPath(String path) implements Step {
        public Op op() { return Op.MASK_PATH; }
    }

    /**
     * Bind the path onto itself read-only, keeping those of its mount's current flags that are in
     * keepFlags (MS_* bits); a missing path is skipped.
     */
    record ReadonlyPath(String path, long keepFlags) implements Step {
        public Op op() { return Op.READONLY_PATH; }
    }

    /** Drop from the bounding set every capability whose bit is not in keep. */
    record DropBounding(long keep) implements Step {
        public Op op() { return Op.DROP_BOUNDING; }
    }

    /** capset(2) for effective, permitted and inheritable, then the ambient set (masks by capability bit). */
    record SetCaps(long effective, long permitted, long inheritable, long ambient) implements Step {
        public Op op() { return Op.SET_CAPS; }
    }

    /** While set, paths under root are resolved inside it (openat2 RESOLVE_IN_ROOT); "" ends the scope. */
    record RootScope(String root) implements Step {
        public Op op() { return Op.ROOT_SCOPE; }
    }

    /** A detached copy of the mount at source (open_tree OPEN_TREE_CLONE), kept in the next slot. */
    record CloneTree(String source, boolean recursive) implements Step {
        public Op op() { return Op.CLONE_TREE; }
    }

    /** Attaches the detached mount of a slot at target (move_mount). */
    record AttachTree(int slot, String target) implements Step {
        public Op op() { return Op.ATTACH_TREE; }
    }

    /** fchownat without following a symlink (linux.devices uid and gid). */
    record Chown(String path, long uid, long gid) implements Step {
        public Op op() { return Op.CHOWN; }
    }

    /** Brings lo up in the process's network namespace (SIOCSIFFLAGS). */
    record LoopbackUp() implements Step {
        public Op op() { return Op.LOOPBACK_UP; }
    }

    /** setsid(2): the caller leads a new session and process group, away from the caller's terminal and job control. */
    record Setsid() implements Step {
        public Op op() { return Op.SETSID; }
    }

    /** Connects to the console socket (--console-socket) and keeps the connection for {@link ConsoleAttach}. */
    record ConsoleConnect(String socketPath) implements Step {
        public Op op() { return Op.CONSOLE_CONNECT; }
    }

    /**
     * Makes a pty from the container's /dev/ptmx, sends its master to the console socket (or the foreground parent),
     * and makes the slave the process's stdio and controlling terminal.
     *
     * @param bindDevConsole bind the slave on /dev/console (the init, not an exec'd process)
     * @param rows           window rows, 0 (with columns 0) to leave the kernel's default
     * @param columns        window columns
     * @param owner          the uid the slave goes to: the process's user (the group stays devpts's)
     */
    record ConsoleAttach(boolean bindDevConsole, int rows, int columns, long owner) implements Step {
        public Op op() { return Op.CONSOLE_ATTACH; }
    }

    /** The child sends the master to the foreground CLONE parent, which relays the user's terminal. */
    record ConsolePair() implements Step {
        public Op op() { return Op.CONSOLE_PAIR; }
    }

    /** Remembers the init's pid as /proc/self names it while the runtime's /proc is still mounted (before pivot_root). */
    record NotePid() implements Step {
        public Op op() { return Op.NOTE_PID; }
    }

    /**
     * Runs one hook in the container's namespaces (createContainer, startContainer) and waits for it: the state JSON
     * on its stdin is stateBeforePid + the pid NOTE_PID remembered + stateAfterPid; timeout 0 means none.
     */
    record RunHook(String label, String path, long timeoutSeconds, String stateBeforePid, String stateAfterPid,
                   List<String> args, List<String> env) implements Step {
        public RunHook {
            args = List.copyOf(args);
            env = List.copyOf(env);
        }
        public Op op() { return Op.RUN_HOOK; }
    }

    /**
     * seccomp(SECCOMP_SET_MODE_FILTER, flags, program): program is struct sock_filter[] as hex, two digits a byte; with a
     * listener, text is the container process state for the agent (each U+0001 stands for the pid). An empty program
     * only connects to the agent's socket at text, for a later load.
     */
    record Seccomp(long flags, String program, String text) implements Step {
        public static Seccomp connectAgent(String listenerPath) {
            return new Seccomp(0, "", listenerPath);
        }
        public Op op() { return Op.SECCOMP; }
    }

    /** A per-process attribute the exec'd program inherits: personality(2), ioprio_set(2) or sched_setattr(2). */
    record ProcessAttr(Attribute attribute, List<Long> values) implements Step {
        public enum Attribute {
            /** personality(values[0]). */
            PERSONALITY(1),
            /** ioprio_set(IOPRIO_WHO_PROCESS, 0, values[0]). */
            IOPRIO(2),
            /** sched_setattr(0, {policy, flags, nice, priority, runtime, deadline, period} = values, 0). */
            SCHEDULER(3);

            private final int code;

            Attribute(int code) {
                this.code = code;
            }

            public int code() {
                return code;
            }
        }

        public ProcessAttr {
            values = List.copyOf(values);
        }
        public Op op() { return Op.PROCESS_ATTR; }
    }
}
