package dev.jrun.plan;

import java.util.List;

/**
 * One primitive step of a plan that jrun-init executes in order (docs/init-protocol.md).
 * The records carry exactly the protocol's arguments; Java has already made every decision.
 */
public sealed interface Step {

    /** The protocol's opcode. */
    int opcode();

    /** The protocol's name, as the helper reports it in errors. */
    String name();

    record Setns(String path, long nstype) implements Step {
        public int opcode() { return 1; }
        public String name() { return "SETNS"; }
    }

    record Unshare(long flags) implements Step {
        public int opcode() { return 2; }
        public String name() { return "UNSHARE"; }
    }

    /** The parent reports the child's pid; DETACH exits at once, FOREGROUND waits and passes on the child's exit status. */
    record Clone(long flags, Mode mode) implements Step {
        public enum Mode { DETACH, FOREGROUND }
        public int opcode() { return 3; }
        public String name() { return "CLONE"; }
    }

    record Sync(SyncPoint point) implements Step {
        public int opcode() { return 4; }
        public String name() { return "SYNC"; }
    }

    record Mount(String source, String target, String fstype, long flags, String data) implements Step {
        public int opcode() { return 5; }
        public String name() { return "MOUNT"; }
    }

    record MakeDirectories(String path, long mode) implements Step {
        public int opcode() { return 6; }
        public String name() { return "MKDIRS"; }
    }

    record PivotRoot(String newRoot) implements Step {
        public int opcode() { return 7; }
        public String name() { return "PIVOT_ROOT"; }
    }

    record MoveRoot(String newRoot) implements Step {
        public int opcode() { return 8; }
        public String name() { return "MOVE_ROOT"; }
    }

    record SetHostname(String hostname) implements Step {
        public int opcode() { return 9; }
        public String name() { return "SETHOSTNAME"; }
    }

    record SetDomainname(String domainname) implements Step {
        public int opcode() { return 10; }
        public String name() { return "SETDOMAINNAME"; }
    }

    record Chdir(String path) implements Step {
        public int opcode() { return 11; }
        public String name() { return "CHDIR"; }
    }

    /** soft and hard are unsigned 64-bit; -1 is RLIM_INFINITY. */
    record SetRlimit(int resource, long soft, long hard) implements Step {
        public int opcode() { return 12; }
        public String name() { return "SETRLIMIT"; }
    }

    record SetGroups(List<Long> gids) implements Step {
        public SetGroups {
            gids = List.copyOf(gids);
        }
        public int opcode() { return 13; }
        public String name() { return "SETGROUPS"; }
    }

    record SetResGid(long gid) implements Step {
        public int opcode() { return 14; }
        public String name() { return "SETRESGID"; }
    }

    record SetResUid(long uid) implements Step {
        public int opcode() { return 15; }
        public String name() { return "SETRESUID"; }
    }

    record Umask(long mask) implements Step {
        public int opcode() { return 16; }
        public String name() { return "UMASK"; }
    }

    record Prctl(long option, long arg2) implements Step {
        public int opcode() { return 17; }
        public String name() { return "PRCTL"; }
    }

    record ListenStart(String socketPath) implements Step {
        public int opcode() { return 18; }
        public String name() { return "LISTEN_START"; }
    }

    record Ready() implements Step {
        public int opcode() { return 19; }
        public String name() { return "READY"; }
    }

    record AwaitStart() implements Step {
        public int opcode() { return 20; }
        public String name() { return "AWAIT_START"; }
    }

    /** An empty path means: the program found by the preceding LOOKUP. */
    record Exec(String path, List<String> args, List<String> env) implements Step {
        public Exec {
            args = List.copyOf(args);
            env = List.copyOf(env);
        }
        public int opcode() { return 21; }
        public String name() { return "EXEC"; }
    }

    record Symlink(String target, String linkPath) implements Step {
        public int opcode() { return 22; }
        public String name() { return "SYMLINK"; }
    }

    record Mknod(String path, long mode, long major, long minor) implements Step {
        public int opcode() { return 23; }
        public String name() { return "MKNOD"; }
    }

    record WriteFile(String path, String content) implements Step {
        public int opcode() { return 24; }
        public String name() { return "WRITE_FILE"; }
    }

    record Lookup(String program, String searchPath) implements Step {
        public int opcode() { return 25; }
        public String name() { return "LOOKUP"; }
    }

    record CloseFds() implements Step {
        public int opcode() { return 26; }
        public String name() { return "CLOSE_FDS"; }
    }

    record CreateFile(String path, long mode) implements Step {
        public int opcode() { return 27; }
        public String name() { return "CREATE_FILE"; }
    }

    /** A directory under a read-only tmpfs, anything else under /dev/null; a missing path is skipped. */
    record MaskPath(String path) implements Step {
        public int opcode() { return 28; }
        public String name() { return "MASK_PATH"; }
    }

    /** Bind the path onto itself read-only; a missing path is skipped. */
    record ReadonlyPath(String path) implements Step {
        public int opcode() { return 29; }
        public String name() { return "READONLY_PATH"; }
    }

    /** Drop from the bounding set every capability whose bit is not in keep. */
    record DropBounding(long keep) implements Step {
        public int opcode() { return 30; }
        public String name() { return "DROP_BOUNDING"; }
    }

    /** capset(2) for effective, permitted and inheritable, then the ambient set (masks by capability bit). */
    record SetCaps(long effective, long permitted, long inheritable, long ambient) implements Step {
        public int opcode() { return 31; }
        public String name() { return "SET_CAPS"; }
    }

    /** While set, paths under root are resolved inside it (openat2 RESOLVE_IN_ROOT); "" ends the scope. */
    record RootScope(String root) implements Step {
        public int opcode() { return 32; }
        public String name() { return "ROOT_SCOPE"; }
    }

    /** A detached copy of the mount at source (open_tree OPEN_TREE_CLONE), kept in the next slot. */
    record CloneTree(String source, boolean recursive) implements Step {
        public int opcode() { return 33; }
        public String name() { return "CLONE_TREE"; }
    }

    /** Attaches the detached mount of a slot at target (move_mount). */
    record AttachTree(int slot, String target) implements Step {
        public int opcode() { return 34; }
        public String name() { return "ATTACH_TREE"; }
    }

    /** fchownat without following a symlink (linux.devices uid and gid). */
    record Chown(String path, long uid, long gid) implements Step {
        public int opcode() { return 35; }
        public String name() { return "CHOWN"; }
    }

    /** Brings lo up in the process's network namespace (SIOCSIFFLAGS). */
    record LoopbackUp() implements Step {
        public int opcode() { return 36; }
        public String name() { return "LOOPBACK_UP"; }
    }
}
