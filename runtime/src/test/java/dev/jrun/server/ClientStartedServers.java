package dev.jrun.server;

import static org.awaitility.Awaitility.await;

import dev.jrun.sys.ProcStat;
import dev.jrun.testing.ServerStartLock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The servers that real clients started in one server directory (JRUN_SERVER_DIR), seen from outside: its files, its
 * log, and the servers' pids. They are nobody's child here, so they are stopped by the pids they logged and wrote,
 * and only once /proc shows such a pid to be a server of this very directory.
 */
record ClientStartedServers(Path dir) {
    private static final Pattern STARTED = Pattern.compile(" jrun server \\(pid (\\d+)\\): started: socket ");

    Path pidFile() {
        return dir.resolve(Server.PID_FILE);
    }

    Path socket() {
        return dir.resolve(Server.SOCKET);
    }

    Path logFile() {
        return dir.resolve(ServerLog.FILE);
    }

    /** The log the servers and the clients write (empty when there is none). */
    String log() throws IOException {
        return Files.exists(logFile()) ? new String(Files.readAllBytes(logFile()), StandardCharsets.UTF_8) : "";
    }

    /** The index of the first line of the log that holds fragment; fails when none does. */
    int assertLogged(String fragment) throws IOException {
        List<String> lines = log().lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(fragment)) {
                return i;
            }
        }
        throw new AssertionError("no line of the server's log holds \"" + fragment + "\":\n" + String.join("\n", lines));
    }

    /** The pids of the servers that started here, in order (from their "started" lines). */
    List<Long> started() throws IOException {
        List<Long> pids = new ArrayList<>();
        Matcher m = STARTED.matcher(log());
        while (m.find()) {
            pids.add(Long.parseLong(m.group(1)));
        }
        return pids;
    }

    /** What the pid file says, if there is one (a SIGKILLed server leaves its own behind). */
    OptionalLong pidFromFile() throws IOException {
        try {
            return OptionalLong.of(Long.parseLong(Files.readString(pidFile()).strip()));
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        }
    }

    /** The pid file's pid, once there is one: a server listens (and may have answered) before it writes it. */
    long awaitPid(Duration limit) {
        return await().atMost(limit).until(this::pidFromFile, OptionalLong::isPresent).getAsLong();
    }

    /** Alive (not a zombie) and `… server --dir <this directory> …`: only such a pid is ever signalled. */
    boolean isRunningServer(long pid) {
        List<String> argv = ProcFacts.commandLine(pid);
        int option = argv.indexOf("--dir");
        return ProcStat.startTime(pid).isPresent() && argv.contains("server") && option >= 0 && option + 1 < argv.size()
                && argv.get(option + 1).equals(dir.toString());
    }

    /** Returns once no client is starting a server here (a server starts beside a client's one-shot command). */
    void awaitStartsSettled() {
        ServerStartLock.awaitFree(dir, Duration.ofSeconds(60));
    }

    /** SIGTERM to each server of this directory still running, then SIGKILL to one that lingers; returns once they are gone. */
    void stopAll() throws IOException {
        awaitStartsSettled();
        Set<Long> pids = new LinkedHashSet<>(started());
        pidFromFile().ifPresent(pids::add);
        for (long pid : pids) {
            OptionalLong started = ProcStat.startTime(pid);
            if (started.isEmpty() || !isRunningServer(pid)) {
                continue;
            }
            long startTime = started.getAsLong();
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> !ProcStat.isSameProcess(pid, startTime));
            } catch (ConditionTimeoutException lingering) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                await().atMost(Duration.ofSeconds(60)).until(() -> !ProcStat.isSameProcess(pid, startTime));
            }
        }
    }
}
