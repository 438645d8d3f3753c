package dev.jrun.lifecycle;

import dev.jrun.call.CallerGoneException;
import dev.jrun.call.Invocation;
import dev.jrun.plan.Stage;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Test-only: with JRUN_FAULT_STOP=STAGE in its environment, create (or start, for "start-exec")
 * stops when it reaches that point: it says so on stderr and then waits forever, so that a test can
 * SIGKILL it exactly there and check what `delete --force`, `state`, `list` and a new `create` make
 * of the leftovers. In the warm server "forever" ends when the caller goes (its client was killed):
 * the command then unwinds like any failure, as the server must for a client killed anywhere. STAGE is a create stage's name in lower case with dashes (docs/cli.md
 * "Environment" lists them), or "start-exec": start, once the container's process has exec'd.
 */
final class FaultInjection {
    static final String VARIABLE = "JRUN_FAULT_STOP";
    static final String START_EXEC = "start-exec";

    private FaultInjection() {}

    static String nameOf(Stage stage) {
        return stage.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static void stopAt(Stage stage) {
        stopAt(nameOf(stage));
    }

    static void stopAt(String point) {
        Invocation invocation = Invocation.current();
        if (!point.equals(invocation.variable(VARIABLE))) {
            return;
        }
        PrintStream err = invocation.err();
        err.println("jrun: fault injection: stopped at " + point + " (" + VARIABLE + ")");
        err.flush();
        try {
            invocation.caller().awaitGone();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new CallerGoneException("while stopped at " + point + " (" + VARIABLE + ")");
    }
}
