package dev.jrun.cgroup;

import dev.jrun.error.JrunException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A running container's cgroups, as its state records them: where an exec'd process joins it. */
public final class ExistingCgroups {
    private ExistingCgroups() {}

    /** Places pid in the container's cgroup of every hierarchy (cgroup.procs: all its threads). */
    public static void join(long pid, Map<String, Path> byHierarchy) throws JrunException.SystemFailure {
        for (var entry : byHierarchy.entrySet()) {
            Path procs = entry.getValue().resolve("cgroup.procs");
            try {
                CgroupFiles.write(procs, Long.toString(pid));
            } catch (IOException e) {
                throw new JrunException.SystemFailure("cannot place process " + pid + " in the container's cgroup "
                        + entry.getValue() + " (" + entry.getKey() + "): " + procs + ": " + CgroupFiles.reason(e)
                        + (Files.isDirectory(entry.getValue()) ? "" : "; the cgroup is gone (was it removed?)"), e);
            }
        }
    }
}
