package dev.jrun.lifecycle;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jrun.cgroup.CgroupStats;
import dev.jrun.error.JrunException;
import dev.jrun.state.ContainerState;
import dev.jrun.state.StateStore;
import dev.jrun.status.Verb;
import dev.jrun.state.StatusProbe;
import dev.jrun.status.Status;
import dev.jrun.sys.ProcessTable;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * `events`: the container's resource usage as runc's events print it ({"type":"stats","id":…,"data":{…}}, the data
 * read by {@link CgroupStats}), once, or every interval until the container stops, with an {"type":"oom"} event
 * whenever the OOM killer has killed in it since the last look.
 */
public final class Events {
    private final StateStore store;
    private final ProcessTable processes;

    public Events(StateStore store, ProcessTable processes) {
        this.store = store;
        this.processes = processes;
    }

    /** One stats event. */
    public ObjectNode stats(String id) throws JrunException {
        return event("stats", id).set("data", cgroupStats(id).read());
    }

    /**
     * Every interval a stats event, and an oom event after a kill, each handed to sink, until the container stops or
     * is deleted, or sink answers false (its reader has gone).
     */
    public void follow(String id, Duration interval, Predicate<ObjectNode> sink) throws JrunException {
        CgroupStats stats = cgroupStats(id);
        OptionalLong kills = stats.oomKills();
        while (true) {
            LockSupport.parkNanos(interval.toNanos());
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            ContainerState state;
            try {
                state = store.read(id);
            } catch (JrunException.NotFound deleted) {
                return;
            }
            if (new StatusProbe(processes).statusOf(state) == Status.STOPPED) {
                return;
            }
            OptionalLong now = stats.oomKills();
            if (kills.isPresent() && now.isPresent() && now.getAsLong() > kills.getAsLong() && !sink.test(event("oom", id))) {
                return;
            }
            kills = now;
            if (!sink.test(event("stats", id).set("data", stats.read()))) {
                return;
            }
        }
    }

    /** The container's stats, refused once it has stopped, as runc refuses it. */
    private CgroupStats cgroupStats(String id) throws JrunException {
        return CgroupStats.of(LiveCgroups.of(store.read(id), processes, Verb.EVENTS, "read the resource usage"));
    }

    private static ObjectNode event(String type, String id) {
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        event.put("type", type);
        event.put("id", id);
        return event;
    }
}
