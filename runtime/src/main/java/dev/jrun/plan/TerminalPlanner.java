package dev.jrun.plan;

import dev.jrun.spec.model.Mount;
import dev.jrun.spec.model.Process;
import dev.jrun.spec.model.Spec;
import java.nio.file.Path;
import java.util.Optional;

/**
 * process.terminal (docs/terminal.md): which terminal a process gets, and the two places in a plan that make it.
 * Shared by the planners of create and exec; each must call, in this order:
 * <ol>
 *   <li>{@link #destination} while planning, before any step: it refuses what runc refuses;</li>
 *   <li>{@link #connect} as the plan's first step, before any SETNS (for exec: before joining the container's
 *       mount namespace), so that the console socket's path is the caller's, and before CLONE, whose parent must
 *       know of a {@code CONSOLE_PAIR};</li>
 *   <li>{@link #attach} in the container once its root is set up (after PIVOT_ROOT for create; after the joins
 *       for exec, with {@code bindDevConsole} false: /dev/console is the init's) and before
 *       {@link ProcessPlanner#prepare}: it chowns the pty to the process's user and takes a controlling terminal,
 *       which need the helper's privileges, and the process must already lead a session of its own (the SETSID after
 *       CLONE: an exec'd process needs one too), or TIOCSCTTY fails with EPERM.</li>
 * </ol>
 * A foreground exec without a socket gets {@link Destination.UserTerminal} like `run`: its CLONE must be mode 1.
 */
final class TerminalPlanner {
    /** A window size is a pair of u16 (struct winsize). */
    private static final long MAX_CONSOLE_SIZE = 0xffff;

    private TerminalPlanner() {}

    /** Where the master of the process's pty goes. */
    sealed interface Destination {
        /** process.terminal is false: the process keeps the helper's stdio. */
        record None() implements Destination {}

        /** --console-socket: the master is sent to whoever listens there (conmon, containerd's shim, a user's tool). */
        record ConsoleSocket(Path path) implements Destination {}

        /** A foreground `run` without a socket: the helper's parent relays the user's own terminal. */
        record UserTerminal() implements Destination {}
    }

    /**
     * The destination, refusing the combinations runc refuses (with its words, which callers may know).
     *
     * @param foreground whether jrun stays and waits for the process (`run` without --detach)
     */
    static Destination destination(Spec spec, Process process, Optional<Path> consoleSocket, boolean foreground) throws PlanException {
        if (!process.isTerminal()) {
            if (consoleSocket.isPresent()) {
                throw new PlanException("/process/terminal", "--console-socket was given but process.terminal is false, so there is no "
                        + "terminal to send (runc: cannot use console socket if runc will not detach or allocate tty); "
                        + "drop --console-socket, or set process.terminal to true");
            }
            return new Destination.None();
        }
        checkConsoleSize(process);
        requireOwnDevpts(spec);
        if (consoleSocket.isPresent()) {
            if (foreground) {
                throw new PlanException("/process/terminal", "--console-socket is for a detached container, but `run` without --detach "
                        + "attaches the terminal to jrun's own (runc: cannot use console socket if runc will not detach or allocate tty); "
                        + "add --detach, or drop --console-socket");
            }
            return new Destination.ConsoleSocket(consoleSocket.get());
        }
        if (!foreground) {
            throw new PlanException("/process/terminal", "process.terminal is true but jrun detaches and has no --console-socket to send "
                    + "the terminal to (runc: cannot allocate tty if runc will detach without setting console socket); "
                    + "pass --console-socket PATH, or set process.terminal to false");
        }
        return new Destination.UserTerminal();
    }

    /** The plan's first steps (see the class comment): connect to the socket, or make the pair the CLONE parent serves. */
    static void connect(StepList steps, Destination destination) {
        String before = steps.origin();
        steps.from("/process/terminal");
        switch (destination) {
            case Destination.None none -> { }
            case Destination.ConsoleSocket socket -> steps.add(Stage.NAMESPACES, new Step.ConsoleConnect(socket.path().toString()),
                    "connect to the console socket while its path is the caller's (before any namespace is joined)");
            case Destination.UserTerminal user -> steps.add(Stage.NAMESPACES, new Step.ConsolePair(),
                    "the init sends the terminal's master to the foreground helper, which relays jrun's own terminal");
        }
        steps.from(before);
    }

    /**
     * The pty, in the container (see the class comment for where).
     *
     * @param bindDevConsole the init's terminal is also /dev/console; an exec'd process's is not
     */
    static void attach(StepList steps, Process process, Destination destination, boolean bindDevConsole) {
        if (destination instanceof Destination.None) {
            return;
        }
        String before = steps.origin();
        Process.ConsoleSize size = process.consoleSize();
        // As runc: a size only when both are given; the kernel's default (0x0) otherwise.
        boolean sized = size != null && size.height() != 0 && size.width() != 0;
        steps.from(size == null ? "/process/terminal" : "/process/consoleSize");
        long owner = process.user() == null ? 0 : process.user().uid();
        steps.add(Stage.PROCESS, new Step.ConsoleAttach(bindDevConsole, sized ? (int) size.height() : 0, sized ? (int) size.width() : 0, owner),
                "a pty from the container's own /dev/ptmx: its slave the process's stdio and controlling terminal"
                        + (bindDevConsole ? " and /dev/console" : "") + ", its master sent "
                        + (destination instanceof Destination.ConsoleSocket ? "to the console socket" : "to the foreground helper"));
        steps.from(before);
    }

    private static void checkConsoleSize(Process process) throws PlanException {
        Process.ConsoleSize size = process.consoleSize();
        if (size == null) {
            return;
        }
        if (size.height() > MAX_CONSOLE_SIZE) {
            throw new PlanException("/process/consoleSize/height", "a terminal has at most " + MAX_CONSOLE_SIZE + " rows; found " + size.height());
        }
        if (size.width() > MAX_CONSOLE_SIZE) {
            throw new PlanException("/process/consoleSize/width", "a terminal has at most " + MAX_CONSOLE_SIZE + " columns; found " + size.width());
        }
    }

    /**
     * The pty is made from the container's /dev/ptmx, which is the link jrun makes to pts/ptmx when the spec mounts
     * /dev/pts; without that mount a /dev of jrun's (or the spec's tmpfs) has no ptmx. A /dev bound from elsewhere is the
     * spec's business: the helper then names the problem if /dev/ptmx cannot be opened.
     */
    private static void requireOwnDevpts(Spec spec) throws PlanException {
        boolean devpts = spec.mounts().stream().anyMatch(m -> normalize(m).equals("/dev/pts"));
        boolean devIsTmpfs = spec.mounts().stream().filter(m -> normalize(m).equals("/dev")).reduce((a, b) -> b)
                .map(m -> "tmpfs".equals(m.type())).orElse(true);
        if (!devpts && devIsTmpfs) {
            throw new PlanException("/mounts", "process.terminal is true but no devpts is mounted on /dev/pts, so the container has no "
                    + "/dev/ptmx to make its terminal from; add {destination: /dev/pts, type: devpts, source: devpts, "
                    + "options: [nosuid, noexec, newinstance, ptmxmode=0666, mode=0620, gid=5]} (as `jrun spec` writes)");
        }
    }

    private static String normalize(Mount mount) {
        return Path.of("/", mount.destination()).normalize().toString();
    }
}
