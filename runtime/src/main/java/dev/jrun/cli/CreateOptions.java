package dev.jrun.cli;

import dev.jrun.call.Invocation;
import dev.jrun.error.JrunException;
import dev.jrun.lifecycle.CreateRequest;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The arguments `create` and `run` share, as runc names them. */
final class CreateOptions {
    @Parameters(paramLabel = "TARGET", description = "Container id, or a spec file such as spec.yaml.")
    String target;

    @Option(names = {"-b", "--bundle"}, description = "The bundle directory (default: the current directory).")
    Path bundle;

    @Option(names = "--id", description = "The id, when TARGET is a spec file (default: the file's stem).")
    String id;

    @Option(names = "--pid-file", description = "Write the init's pid to this file.")
    Path pidFile;

    @Option(names = "--no-pivot", description = "Use MS_MOVE and chroot instead of pivot_root (for a rootfs on a ramdisk).")
    boolean noPivot;

    @Option(names = "--preserve-fds", paramLabel = "N", defaultValue = "0",
            description = "Pass the caller's descriptors 3 .. 3+N-1 (after LISTEN_FDS's) on to the container's process.")
    int preserveFds;

    @Option(names = "--no-new-keyring", description = "Keep the caller's session keyring instead of a new one for the container.")
    boolean noNewKeyring;

    @Option(names = "--console-socket", description = {"With process.terminal: send the master of the container's pty to the "
            + "Unix socket listening at this path (SCM_RIGHTS), as runc does; for create and run --detach."})
    Path consoleSocket;

    /** @param foreground `run` without --detach: jrun waits for the container's process */
    CreateRequest toRequest(boolean foreground, boolean systemdCgroup) throws JrunException {
        ContainerTarget resolved = ContainerTarget.forCreate(target, id, bundle);
        if (preserveFds < 0) {
            throw new JrunException.InvalidInput("--preserve-fds " + preserveFds + ": expected a count, 0 or more");
        }
        return new CreateRequest(resolved.id(), resolved.bundle(), resolved.specFile(),
                pidFile == null ? null : Invocation.current().resolve(pidFile), noPivot, foreground,
                systemdCgroup, preserveFds, !noNewKeyring, consoleSocket == null ? null : Invocation.current().resolve(consoleSocket));
    }
}
