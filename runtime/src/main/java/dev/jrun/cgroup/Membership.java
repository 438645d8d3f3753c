package dev.jrun.cgroup;

import dev.jrun.sys.ProcFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The cgroup a process is in, in one hierarchy: a line "hierarchy-id:controllers:path" of /proc/PID/cgroup
 * (cgroups(7)). v1 lines name their hierarchy by its controllers and "name=…"; the v2 line is "0::path". The path
 * is relative to the reader's cgroup namespace, and starts with "/.." for a cgroup outside it.
 */
public record Membership(int hierarchyId, List<String> controllers, String path) {
    public Membership {
        controllers = List.copyOf(controllers);
    }

    /** The v2 hierarchy's line: id 0 and no controllers. */
    public boolean unified() {
        return hierarchyId == 0 && controllers.isEmpty();
    }

    /** How logs name the hierarchy: "memory", "cpu,cpuacct", "name=systemd", or "unified". */
    public String hierarchy() {
        return unified() ? "unified" : String.join(",", controllers);
    }

    /** The hierarchies of the process whose /proc/PID/cgroup this is; lines not of that form are passed over. */
    public static List<Membership> parse(String procCgroup) {
        List<Membership> memberships = new ArrayList<>();
        for (String line : procCgroup.lines().toList()) {
            // A cgroup's name may hold ':', the first two fields cannot.
            String[] fields = line.split(":", 3);
            if (fields.length < 3 || !fields[0].matches("[0-9]{1,9}")) {
                continue;
            }
            List<String> controllers = fields[1].isEmpty() ? List.of() : List.of(fields[1].split(","));
            memberships.add(new Membership(Integer.parseInt(fields[0]), controllers, fields[2]));
        }
        return memberships;
    }

    /** The hierarchies process pid is in, as this process's cgroup namespace shows them. */
    public static List<Membership> of(long pid) throws IOException {
        return parse(ProcFiles.read(Path.of("/proc", Long.toString(pid), "cgroup")));
    }
}
