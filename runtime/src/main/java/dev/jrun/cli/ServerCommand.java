package dev.jrun.cli;

import dev.jrun.cgroup.CgroupMover;
import dev.jrun.cgroup.MoveResult;
import dev.jrun.error.JrunException;
import dev.jrun.server.Server;
import dev.jrun.sys.Syscall;
import dev.jrun.sys.SyscallNumber;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * `jrun server`: the warm server in the foreground of this JVM (docs/server.md). Hidden from help: the jrun
 * client starts it; operators meet it in docs/cli.md.
 */
@Command(hidden = true, description = {
    "Serve jrun commands for the jrun client on <dir>/jrun.sock until idle (docs/server.md)."})
final class ServerCommand implements Callable<Integer> {
    /** The cgroup the server moves into at the top of each hierarchy (docs/server.md, "Its own cgroup"). */
    static final String CGROUP = "jrun-server";
    /** The log line that ends the move (ServerCgroupIT waits for it). */
    static final String MOVED_LINE = "left the caller's cgroups";
    /** The move waits for the first answer at most this long (a first request that is a long `run` does not hold it up). */
    private static final Duration CGROUP_MOVE_WAIT = Duration.ofSeconds(1);
    /** The option by which jrun-client names the readiness pipe it polls (its READY_FD_OPTION; ClientAgreementTest). */
    static final String READY_FD_OPTION = "--ready-fd";

    ServerCommand() {
        // Made before picocli reads the command line into it: the system calls' handle links meanwhile (docs/benchmarks.md,
        // "The first call after an idle exit").
        Syscall.linkInBackground();
    }

    @CommandLine.ParentCommand
    JrunCommand global;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec command;

    @Option(names = "--dir", paramLabel = "DIR", required = true,
            description = "The server's directory: its socket, lock, log and pid file (`bin/jrun server` without it: the one clients use, docs/server.md).")
    Path dir;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "Exit after this many seconds without a request in flight (default: ${DEFAULT-VALUE}; 0: never).")
    long idleTimeoutSeconds;

    @Option(names = READY_FD_OPTION, paramLabel = "FD", hidden = true, defaultValue = "-1",
            description = "Write one byte to this inherited descriptor, then close it, once the socket listens (jrun-client waits for it).")
    int readyFd;

    @Override
    public Integer call() {
        var err = command.commandLine().getErr();
        if (Server.servingARequest()) {
            err.println("jrun: server: a jrun server cannot be started through a jrun server; run `jrun server` with JRUN_SERVER=off");
            return ExitCodes.USAGE;
        }
        if (idleTimeoutSeconds < 0) {
            err.println("jrun: server: --idle-timeout must be 0 (never) or a number of seconds, not " + idleTimeoutSeconds);
            return ExitCodes.USAGE;
        }
        if (readyFd != -1 && readyFd < 3) {
            err.println("jrun: server: " + READY_FD_OPTION + " must name a descriptor above 2 (one the server may close), not " + readyFd);
            return ExitCodes.USAGE;
        }
        // Help is printed for callers whose terminal the server cannot see: never in colour (picocli would look at the
        // server's own stdio, which is /dev/null when a client started it, or the wrong terminal when not).
        System.setProperty("picocli.ansi", "false");
        try {
            Server server = Server.bind(dir, Duration.ofSeconds(idleTimeoutSeconds), Main::run);
            if (readyFd != -1) {
                server.tellListening(readyFd); // before any slower start-up work: the first client connects now
            }
            // Out of the caller's cgroups, whose teardown (a pod's, a systemd unit's) would otherwise end the server.
            // After the first answer rather than before or beside it: moving a process with threads holds up every
            // thread it starts or ends for the kernel's 25-35 ms of migration (docs/benchmarks.md, "The first call after
            // an idle exit"), and nothing a request does depends on where the server's cgroups are.
            Thread.ofPlatform().name("jrun-server-cgroups").start(() -> {
                try {
                    server.awaitFirstAnswer(CGROUP_MOVE_WAIT);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // moves now
                }
                MoveResult moved = CgroupMover.moveSelfTo(CGROUP);
                moved.lines().forEach(server::log);
                server.log(MOVED_LINE + " (" + moved.moved().size() + " hierarchies moved, " + moved.skipped().size() + " skipped)");
                // The client starts its server in the caller's session, where SCHED_IDLE keeps it off the caller's time
                // (docs/server.md, "Starting and ending the server"); by now it runs at its usual priority and leaves.
                // EPERM: it leads a session or group already (started by hand or by a service manager).
                if (Syscall.call(SyscallNumber.SETSID) >= 0) {
                    server.log("left the caller's session");
                }
                server.sweepStaleSiblings();
            });
            server.serve();
            return ExitCodes.OK;
        } catch (JrunException e) {
            return ErrorReport.report(global, err, "server", e);
        }
    }
}
