package dev.jrun.plan;

import java.util.List;

/**
 * The operations jrun-init knows: opcode, protocol name (the constant's name, as the helper reports it
 * in errors) and argument signature. This table is the one source of truth on the Java side; the
 * {@link Step} records name their operation here, {@link PlanEncoder} checks every step against its
 * signature, and ProtocolAgreementTest fails if jrun-init.c's {@code ops[]} table or the "Steps" table of
 * docs/init-protocol.md says anything else.
 *
 * <p>A signature has one letter per argument, {@code s} a string and {@code i} an integer (u64); a
 * trailing {@code *} repeats the letter before it zero or more times: the same notation as the C table.
 */
public enum Op {
    UNSHARE(2, "i"),
    /** flags, mode, then the signals a foreground (mode 1) parent relays to the child. */
    CLONE(3, "iii*"),
    SYNC(4, "s"),
    MOUNT(5, "sssis"),
    MKDIRS(6, "si"),
    PIVOT_ROOT(7, "s"),
    MOVE_ROOT(8, "s"),
    SETHOSTNAME(9, "s"),
    SETDOMAINNAME(10, "s"),
    CHDIR(11, "s"),
    SETRLIMIT(12, "iii"),
    SETGROUPS(13, "i*"),
    SETRESGID(14, "i"),
    SETRESUID(15, "i"),
    UMASK(16, "i"),
    PRCTL(17, "ii"),
    LISTEN_START(18, "s"),
    READY(19, ""),
    AWAIT_START(20, ""),
    /** path, argc, argc strings of argv, then the environment's strings. */
    EXEC(21, "sis*"),
    SYMLINK(22, "ss"),
    MKNOD(23, "siii"),
    WRITE_FILE(24, "ss"),
    LOOKUP(25, "ss"),
    /** the count of preserved fds (3 .. 3+count-1), which stay open into the process. */
    CLOSE_FDS(26, "i"),
    CREATE_FILE(27, "si"),
    MASK_PATH(28, "s"),
    READONLY_PATH(29, "si"),
    DROP_BOUNDING(30, "i"),
    SET_CAPS(31, "iiii"),
    ROOT_SCOPE(32, "s"),
    CLONE_TREE(33, "si"),
    ATTACH_TREE(34, "is"),
    CHOWN(35, "sii"),
    LOOPBACK_UP(36, ""),
    SETSID(37, ""),
    /** flags, the program (hex, 16 digits per instruction; empty: connect to the agent), the agent's path or state. */
    SECCOMP(38, "iss"),
    /** which attribute, then its values. */
    PROCESS_ATTR(39, "ii*"),
    /** The console socket's path: connected now, while the host's path is reachable. */
    CONSOLE_CONNECT(40, "s"),
    /** flags (1: bind on /dev/console), rows, columns (0: leave the size), the uid that owns the slave. */
    CONSOLE_ATTACH(41, "iiii"),
    /** A socket pair over which the child sends the master to its foreground parent, which serves the user's terminal. */
    CONSOLE_PAIR(42, ""),
    /** a namespace file and its CLONE_NEW* type, opened now and joined by the next ENTER_NS. */
    OPEN_NS(43, "si"),
    ENTER_NS(44, ""),
    /** chdir(path), chroot("."), chdir("/"): the root of a container that shares the runtime's mount namespace. */
    CHROOT(45, "s"),
    JOIN_KEYRING(46, "s"),
    /** remembers the init's pid as the runtime sees it, for the state of the hooks run in the container (docs/hooks.md). */
    NOTE_PID(47, ""),
    /** label, path, timeout, the state JSON before and after the pid, argc, args, env: one hook in the container's namespaces. */
    RUN_HOOK(48, "ssissis*"),
    /** MOUNT's arguments: mounts over a directory of the rootfs and copies what it held into the new mount. */
    COPY_UP(49, "sssis");

    private final int code;
    private final String signature;

    Op(int code, String signature) {
        this.code = code;
        this.signature = signature;
    }

    /** The u16 opcode on the wire. */
    public int code() {
        return code;
    }

    /** The argument signature, e.g. {@code "sssis"} or {@code "i*"}. */
    public String signature() {
        return signature;
    }

    /** The protocol name (also the constant's name): what the helper writes in an error line. */
    public String protocolName() {
        return name();
    }

    /**
     * Whether encoded arguments (Long for integers, String for strings) fit the signature: the check the
     * helper makes before it runs anything, made here first so that a mismatch is a bug found in Java.
     */
    public boolean accepts(List<Object> args) {
        boolean repeats = signature.endsWith("*");
        int fixed = repeats ? signature.length() - 2 : signature.length();
        if (args.size() < fixed || !repeats && args.size() != fixed) {
            return false;
        }
        for (int k = 0; k < args.size(); k++) {
            char kind = k < fixed ? signature.charAt(k) : signature.charAt(fixed);
            Object arg = args.get(k);
            if (kind == 's' ? !(arg instanceof String) : !(arg instanceof Long)) {
                return false;
            }
        }
        return true;
    }

    public static Op ofCode(int code) {
        for (Op op : values()) {
            if (op.code == code) {
                return op;
            }
        }
        throw new IllegalArgumentException("no operation has opcode " + code);
    }
}
