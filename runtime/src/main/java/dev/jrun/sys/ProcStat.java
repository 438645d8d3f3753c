package dev.jrun.sys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** Facts about a process from /proc/PID/stat. */
public final class ProcStat {
    private ProcStat() {}

    /**
     * The process's start time in clock ticks since boot (field 22), or empty when no such process
     * exists. Together with the pid it names one process for good: a reused pid has another start time.
     */
    public static OptionalLong startTime(long pid) {
        if (pid <= 0) {
            return OptionalLong.empty();
        }
        try {
            String stat = ProcFiles.read(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) may hold spaces and parentheses; fields after it start past the last ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            String state = fields[0];
            if (state.equals("Z") || state.equals("X")) {
                return OptionalLong.empty(); // a zombie has exited; only its parent's wait is missing
            }
            return OptionalLong.of(Long.parseLong(fields[19]));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** True when pid is alive and is the process that started at startTime. */
    public static boolean isSameProcess(long pid, long startTime) {
        OptionalLong now = startTime(pid);
        return now.isPresent() && now.getAsLong() == startTime;
    }
}
