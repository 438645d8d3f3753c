package dev.jrun.cli;

import dev.jrun.error.JrunException;
import dev.jrun.lifecycle.Exec;
import dev.jrun.lifecycle.ExecProcess;
import dev.jrun.lifecycle.ExecRequest;
import dev.jrun.state.StateStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(description = {
    "Run a new process in a created or running container: its namespaces, cgroups and the process settings given.",
    "The process is --process FILE (an OCI process, JSON), or CMD ARGS... with the container's own process settings",
    "changed by the options. Waits for it and exits with its status (128+N if signal N killed it); --detach returns once it runs."})
final class ExecCommand extends LifecycleCommand implements CommandTree.StopsAtTarget {
    @Parameters(index = "0", paramLabel = "ID", description = "The container's id.")
    String id;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "CMD", description = "The program and its arguments (without --process).")
    List<String> command = new ArrayList<>();

    @Option(names = {"-p", "--process"}, paramLabel = "FILE", description = "The process as OCI process JSON (args, env, cwd, user, ...).")
    Path processFile;

    @Option(names = {"-d", "--detach"}, description = "Return once the process runs.")
    boolean detach;

    @Option(names = "--pid-file", paramLabel = "FILE", description = "Write the process's pid to this file.")
    Path pidFile;

    @Option(names = "--cwd", paramLabel = "DIR", description = "Working directory inside the container.")
    String cwd;

    @Option(names = {"-e", "--env"}, paramLabel = "NAME=VALUE", description = "Set an environment variable (repeatable).")
    List<String> env = new ArrayList<>();

    @Option(names = {"-u", "--user"}, paramLabel = "UID[:GID]", description = "Run as this user (numeric ids).")
    String user;

    @Option(names = {"-g", "--additional-gids"}, paramLabel = "GID", description = "An additional group (repeatable).")
    List<Long> additionalGids = new ArrayList<>();

    @Option(names = {"-c", "--cap"}, paramLabel = "CAP", description = "Add a capability to the bounding, effective and permitted sets (repeatable).")
    List<String> capabilities = new ArrayList<>();

    @Option(names = "--no-new-privs", description = "Set no_new_privs for the process.")
    Boolean noNewPrivileges;

    @Option(names = {"-t", "--tty"}, description = "Give the process a terminal: its master goes to --console-socket, or, in the foreground without one, jrun relays your own terminal.")
    boolean tty;

    @Option(names = "--console-socket", paramLabel = "PATH", description = "Unix socket to receive the terminal's master end.")
    Path consoleSocket;

    @Option(names = "--apparmor", paramLabel = "PROFILE", description = "AppArmor profile for the process.")
    String apparmor;

    @Option(names = "--process-label", paramLabel = "LABEL", description = "SELinux label for the process.")
    String processLabel;

    @Option(names = "--preserve-fds", paramLabel = "N", defaultValue = "0",
            description = "Pass the caller's descriptors 3 .. 3+N-1 on to the process (default 0).")
    int preserveFds;

    @Override
    int execute(StateStore store) throws JrunException {
        ExecProcess process;
        if (processFile != null) {
            if (!command.isEmpty()) {
                throw new JrunException.InvalidInput("give either --process FILE or CMD ARGS..., not both");
            }
            process = new ExecProcess.FromFile(processFile);
        } else if (command.isEmpty()) {
            throw new JrunException.InvalidInput("nothing to run: give CMD ARGS... after the container id, or --process FILE");
        } else {
            process = new ExecProcess.FromCommandLine(command, env, cwd, user, additionalGids, capabilities, noNewPrivileges, tty,
                    apparmor, processLabel);
        }
        if (preserveFds < 0) {
            throw new JrunException.InvalidInput("--preserve-fds " + preserveFds + ": expected a count, 0 or more");
        }
        return new Exec(store, processes(), debugOut(), warnings()).exec(new ExecRequest(id, process, detach,
                pidFile == null ? null : dev.jrun.call.Invocation.current().resolve(pidFile), preserveFds,
                consoleSocket == null ? null : dev.jrun.call.Invocation.current().resolve(consoleSocket)));
    }
}
