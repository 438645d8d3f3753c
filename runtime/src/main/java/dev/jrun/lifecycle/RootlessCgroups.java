package dev.jrun.lifecycle;

import dev.jrun.cgroup.CgroupAccess;
import dev.jrun.cgroup.CgroupPlan;
import dev.jrun.error.JrunException;
import dev.jrun.spec.model.Spec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A rootless create's cgroups, as runc's rootless cgroup manager treats them: made and joined where the user may (a
 * cgroup delegated to it); where it may not, skipped with a warning when the spec asks nothing of them, and refused
 * when it does (linux.resources, or an explicit linux.cgroupsPath), since those would silently not hold.
 */
final class RootlessCgroups {
    private RootlessCgroups() {}

    static CgroupPlan decide(Spec spec, CgroupPlan plan, RuntimeUser user, PrintWriter warnings) throws JrunException {
        Optional<Path> denied = CgroupAccess.firstUnwritable(plan.cgroups());
        if (denied.isEmpty()) {
            return plan;
        }
        String why = "uid " + user.uid() + " may not write " + denied.get();
        if (plan.asksForResources()) {
            throw new JrunException.SystemFailure("cannot apply linux.resources: they need the container's own cgroups, and " + why
                    + "; leave linux.resources out (jrun spec --rootless does), run as root, or give a linux.cgroupsPath inside"
                    + " a cgroup delegated to you (docs/rootless.md)", null);
        }
        if (spec.linux() != null && spec.linux().cgroupsPath() != null) {
            throw new JrunException.SystemFailure("cannot make the container's cgroup linux.cgroupsPath \"" + spec.linux().cgroupsPath()
                    + "\": " + why + "; leave linux.cgroupsPath out (the container then stays in your cgroups), or give one inside"
                    + " a cgroup delegated to you (docs/rootless.md)", null);
        }
        warnings.println("jrun: warning: the container gets no cgroups of its own and stays in yours: " + why
                + " (the spec asks for no linux.resources; pause, resume, update and events need the container's cgroups;"
                + " docs/rootless.md)");
        warnings.flush();
        return plan.withoutCgroups();
    }
}
