package dev.jrun.cli;

import dev.jrun.call.Invocation;
import dev.jrun.error.JrunException;
import dev.jrun.lifecycle.Delete;
import dev.jrun.lifecycle.Kill;
import dev.jrun.lifecycle.Start;
import dev.jrun.lifecycle.StateReport;
import dev.jrun.state.StateStore;
import dev.jrun.sys.LinuxProcessTable;
import dev.jrun.sys.ProcessTable;
import dev.jrun.sys.Signals;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * The verbs tools call most often on an existing container — state, start, kill, delete — in
 * runc's plain forms, without picocli: its Java 5 classes cannot enter the AOT cache and cost
 * tens of milliseconds on every call. Anything else (help, unusual options, a typo) returns empty
 * and goes to picocli, which owns the command line and its error messages.
 */
final class FastPath {
    private FastPath() {}

    static OptionalInt tryRun(String[] args, PrintWriter out, PrintWriter err) {
        JrunCommand global = new JrunCommand();
        global.root = Path.of("/run/jrun");
        global.logFormat = JrunCommand.LogFormat.text;
        int i = 0;
        while (i < args.length && args[i].startsWith("--")) {
            String arg = args[i];
            if (arg.equals("--debug")) {
                global.debug = true;
            } else if (arg.equals("--systemd-cgroup")) {
                global.systemdCgroup = true;
            } else if ((arg.equals("--root") || arg.equals("--log") || arg.equals("--log-format")) && i + 1 < args.length) {
                if (!setGlobal(global, arg, args[++i])) {
                    return OptionalInt.empty();
                }
            } else if (arg.startsWith("--root=") || arg.startsWith("--log=") || arg.startsWith("--log-format=")) {
                int eq = arg.indexOf('=');
                if (!setGlobal(global, arg.substring(0, eq), arg.substring(eq + 1))) {
                    return OptionalInt.empty();
                }
            } else {
                return OptionalInt.empty();
            }
            i++;
        }
        if (i >= args.length) {
            return OptionalInt.empty();
        }
        String verb = args[i];
        List<String> flags = new ArrayList<>();
        List<String> operands = new ArrayList<>();
        for (int j = i + 1; j < args.length; j++) {
            (args[j].startsWith("-") && !args[j].matches("-\\d+") ? flags : operands).add(args[j]);
        }
        StateStore store = new StateStore(global.root);
        ProcessTable processes = new LinuxProcessTable();
        try {
            return switch (verb) {
                case "state" -> flags.isEmpty() && operands.size() == 1
                        ? OptionalInt.of(state(store, processes, operands.get(0), out)) : OptionalInt.empty();
                case "start" -> flags.isEmpty() && operands.size() == 1
                        ? OptionalInt.of(start(store, processes, operands.get(0))) : OptionalInt.empty();
                case "delete" -> onlyFlags(flags, "-f", "--force") && operands.size() == 1
                        ? OptionalInt.of(delete(store, processes, operands.get(0), !flags.isEmpty(), err)) : OptionalInt.empty();
                case "kill" -> onlyFlags(flags, "-a", "--all") && (operands.size() == 1 || operands.size() == 2)
                        ? kill(store, processes, operands, !flags.isEmpty()) : OptionalInt.empty();
                default -> OptionalInt.empty();
            };
        } catch (JrunException e) {
            return OptionalInt.of(ErrorReport.report(global, err, verb, e));
        }
    }

    private static boolean setGlobal(JrunCommand global, String name, String value) {
        switch (name) {
            case "--root" -> global.root = Invocation.current().resolve(Path.of(value));
            case "--log" -> global.log = Invocation.current().resolve(Path.of(value));
            default -> {
                if (!value.equals("text") && !value.equals("json")) {
                    return false; // picocli reports the bad value
                }
                global.logFormat = JrunCommand.LogFormat.valueOf(value);
            }
        }
        return true;
    }

    private static boolean onlyFlags(List<String> flags, String shortName, String longName) {
        return flags.stream().allMatch(f -> f.equals(shortName) || f.equals(longName));
    }

    private static int state(StateStore store, ProcessTable processes, String target, PrintWriter out) throws JrunException {
        out.println(new StateReport(store, processes).of(ContainerTarget.idOf(target, null)).toPrettyString());
        out.flush();
        return ExitCodes.OK;
    }

    private static int start(StateStore store, ProcessTable processes, String target) throws JrunException {
        new Start(store, processes).start(ContainerTarget.idOf(target, null));
        return ExitCodes.OK;
    }

    private static int delete(StateStore store, ProcessTable processes, String target, boolean force, PrintWriter err)
            throws JrunException {
        String id = ContainerTarget.idOf(target, null);
        DeleteCommand.report(new Delete(store, processes).delete(id, force), id, err);
        return ExitCodes.OK;
    }

    private static OptionalInt kill(StateStore store, ProcessTable processes, List<String> operands, boolean all) throws JrunException {
        String signal = operands.size() == 2 ? operands.get(1) : "TERM";
        OptionalInt number = Signals.parse(signal);
        if (number.isEmpty()) {
            return OptionalInt.empty(); // picocli's path words the unknown-signal error
        }
        new Kill(store, processes).kill(ContainerTarget.idOf(operands.get(0), null), number.getAsInt(), all);
        return OptionalInt.of(ExitCodes.OK);
    }
}
