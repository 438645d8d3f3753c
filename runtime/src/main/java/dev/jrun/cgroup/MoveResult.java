package dev.jrun.cgroup;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What {@link CgroupMover} did, hierarchy by hierarchy: where the process went, and where it stayed and why. */
public record MoveResult(List<Moved> moved, List<Skipped> skipped) {
    public MoveResult {
        moved = List.copyOf(moved);
        skipped = List.copyOf(skipped);
    }

    /**
     * The process is now in directory.
     *
     * @param from    its cgroup before, as /proc/PID/cgroup wrote it
     * @param created whether the mover made the directory (false: it existed, as after an earlier move there)
     */
    public record Moved(String hierarchy, String from, Path directory, boolean created) implements Outcome {}

    /** The process stays in from, its cgroup in this hierarchy, for reason. */
    public record Skipped(String hierarchy, String from, String reason) implements Outcome {}

    /** One hierarchy's outcome. */
    public sealed interface Outcome permits Moved, Skipped {}

    /** One line per hierarchy, for a log. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        for (Moved m : moved) {
            lines.add("cgroup " + m.hierarchy() + ": moved from " + m.from() + " into " + m.directory()
                    + (m.created() ? " (made)" : ""));
        }
        for (Skipped s : skipped) {
            lines.add("cgroup " + s.hierarchy() + ": stays in " + s.from() + ": " + s.reason());
        }
        return lines;
    }
}
