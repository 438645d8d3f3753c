package dev.jrun.sys;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A recording {@link ProcessTable} for unit tests of the verbs without root: processes are what the
 * test declares, and every signal is recorded. SIGKILL ends a process, and ending a pid namespace's
 * first process ends the whole namespace, as the kernel does.
 */
public final class FakeProcessTable implements ProcessTable {
    public static final String HOST_PID_NAMESPACE = "pid:[4026531836]";

    /** One declared process. */
    public record FakeProcess(long pid, long startTime, String pidNamespace, long innermostPid, FileIdentity executable) {}

    public record Sent(long pid, int signal) {}

    private final Map<Long, FakeProcess> alive = new LinkedHashMap<>();
    private final List<Sent> sent = new ArrayList<>();

    public FakeProcess add(long pid, long startTime, String pidNamespace, long innermostPid, FileIdentity executable) {
        FakeProcess process = new FakeProcess(pid, startTime, pidNamespace, innermostPid, executable);
        alive.put(pid, process);
        return process;
    }

    public static KnownProcess known(FakeProcess process) {
        return new KnownProcess(process.pid(), process.startTime());
    }

    public void exit(long pid) {
        alive.remove(pid);
    }

    public List<Sent> sent() {
        return List.copyOf(sent);
    }

    public boolean isRunning(long pid) {
        return alive.containsKey(pid);
    }

    @Override
    public Optional<KnownProcess> process(long pid) {
        return Optional.ofNullable(alive.get(pid)).map(FakeProcessTable::known);
    }

    @Override
    public boolean isAlive(KnownProcess process) {
        FakeProcess now = alive.get(process.pid());
        return now != null && now.startTime() == process.startTime();
    }

    @Override
    public boolean signal(KnownProcess process, int signal) {
        if (!isAlive(process)) {
            return false;
        }
        sent.add(new Sent(process.pid(), signal));
        if (signal == Signals.SIGKILL) {
            FakeProcess killed = alive.remove(process.pid());
            if (killed.innermostPid() == 1) {
                alive.values().removeIf(p -> p.pidNamespace().equals(killed.pidNamespace()));
            }
        }
        return true;
    }

    @Override
    public List<Long> pids() {
        return List.copyOf(alive.keySet());
    }

    @Override
    public Optional<String> pidNamespaceOf(long pid) {
        return Optional.ofNullable(alive.get(pid)).map(FakeProcess::pidNamespace);
    }

    @Override
    public String ownPidNamespace() {
        return HOST_PID_NAMESPACE;
    }

    @Override
    public OptionalLong innermostPid(long pid) {
        FakeProcess process = alive.get(pid);
        return process == null ? OptionalLong.empty() : OptionalLong.of(process.innermostPid());
    }

    @Override
    public Optional<FileIdentity> executableOf(long pid) {
        return Optional.ofNullable(alive.get(pid)).map(FakeProcess::executable);
    }
}
