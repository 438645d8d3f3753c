package dev.jrun.lifecycle;

import dev.jrun.plan.Stage;
import java.io.PrintWriter;
import java.util.EnumMap;
import java.util.Map;

/** Wall time per create stage, printed under --debug so that where the time goes can be seen; also where tests stop create (FaultInjection). */
final class StageTimer {
    private final Map<Stage, Long> nanos = new EnumMap<>(Stage.class);
    private Stage current;
    private long since;

    void enter(Stage stage) {
        if (stage != null) {
            FaultInjection.stopAt(stage);
        }
        long now = System.nanoTime();
        if (current != null) {
            nanos.merge(current, now - since, Long::sum);
        }
        current = stage;
        since = now;
    }

    Stage current() {
        return current;
    }

    void report(PrintWriter out) {
        enter(null);
        nanos.forEach((stage, ns) -> out.printf("jrun: create: %-16s %7.2f ms%n", stage.name().toLowerCase(java.util.Locale.ROOT), ns / 1e6));
        out.flush();
    }
}
