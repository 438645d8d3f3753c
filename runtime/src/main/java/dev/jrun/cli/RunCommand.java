package dev.jrun.cli;

import dev.jrun.error.JrunException;
import dev.jrun.lifecycle.Create;
import dev.jrun.lifecycle.CreateRequest;
import dev.jrun.lifecycle.CreatedContainer;
import dev.jrun.lifecycle.Delete;
import dev.jrun.lifecycle.Start;
import dev.jrun.plan.Step;
import dev.jrun.state.StateStore;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "run", description = {
    "Create and start a container, wait for its process and exit with its exit status, then delete it.",
    "With --detach: create and start, and return at once."})
final class RunCommand extends LifecycleCommand {
    @Parameters(paramLabel = "TARGET", description = "Container id, or a spec file such as spec.yaml.")
    String target;

    @Option(names = {"-b", "--bundle"}, description = "The bundle directory (default: the current directory).")
    Path bundle;

    @Option(names = "--id", description = "The id, when TARGET is a spec file (default: the file's stem).")
    String id;

    @Option(names = {"-d", "--detach"}, description = "Return once the container runs.")
    boolean detach;

    @Option(names = "--pid-file", description = "Write the init's pid to this file.")
    Path pidFile;

    @Option(names = "--no-pivot", description = "Use MS_MOVE and chroot instead of pivot_root.")
    boolean noPivot;

    @Option(names = "--console-socket", description = "Accepted for runc compatibility; terminals are not supported yet.")
    Path consoleSocket;

    @Override
    int execute(StateStore store) throws JrunException {
        ContainerTarget resolved = ContainerTarget.forCreate(target, id, bundle);
        Step.Clone.Mode mode = detach ? Step.Clone.Mode.DETACH : Step.Clone.Mode.FOREGROUND;
        CreatedContainer created = new Create(store, debugOut(), err()).create(new CreateRequest(resolved.id(), resolved.bundle(),
                resolved.specFile(), pidFile == null ? null : pidFile.toAbsolutePath(), noPivot, mode));
        try {
            new Start(store).start(resolved.id());
        } catch (JrunException e) {
            new Delete(store).delete(resolved.id(), true);
            throw e;
        }
        if (detach) {
            return ExitCodes.OK;
        }
        int status;
        try {
            status = created.helper().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = ExitCodes.FAILED;
        }
        new Delete(store).delete(resolved.id(), true);
        return status;
    }
}
