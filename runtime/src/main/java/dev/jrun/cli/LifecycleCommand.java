package dev.jrun.cli;

import dev.jrun.error.JrunException;
import dev.jrun.state.StateStore;
import dev.jrun.sys.LinuxProcessTable;
import dev.jrun.sys.ProcessTable;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/** Shared plumbing of the lifecycle verbs: the global options, the state store and error reporting. */
abstract class LifecycleCommand implements Callable<Integer> {

    @CommandLine.ParentCommand
    JrunCommand global;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec command;

    @Override
    public final Integer call() {
        try {
            return execute(new StateStore(global.stateRoot()));
        } catch (JrunException e) {
            return ErrorReport.report(global, err(), command.name(), e);
        }
    }

    abstract int execute(StateStore store) throws JrunException;

    /** The host's processes, as every verb sees them (one seam; tests of the lifecycle use a fake). */
    ProcessTable processes() {
        return new LinuxProcessTable();
    }

    PrintWriter out() {
        return command.commandLine().getOut();
    }

    PrintWriter err() {
        return command.commandLine().getErr();
    }

    /** Settings jrun cannot apply: to --log when there is one (runc's place for them), else to stderr. */
    PrintWriter warnings() {
        return global.log != null ? new PrintWriter(new LogLines(global, "warning"), true) : err();
    }

    PrintWriter debugOut() {
        return global.debug ? err() : null;
    }
}
