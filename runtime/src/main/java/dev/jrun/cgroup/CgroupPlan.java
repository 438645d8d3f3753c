package dev.jrun.cgroup;

import dev.jrun.error.JrunException;
import dev.jrun.spec.model.Resources;
import dev.jrun.spec.model.Spec;
import java.util.List;
import java.util.Optional;

/**
 * A container's cgroups as create plans them, before anything is made: its directory in each hierarchy
 * ({@link CgroupPaths}) and what linux.resources writes ({@link ResourceWrites}). Pure, so that every refusal (a bad
 * path, a value out of range, a setting the host's cgroup version has no file for) comes before the id is reserved.
 *
 * @param cgroups   the container's cgroup in each hierarchy the runtime is in and can reach
 * @param resources the writes, into the v1 hierarchies ({@code v1}) or the v2 directory
 * @param v1        whether resources go to v1 controllers: on a v1 or hybrid host the controllers live in the v1
 *                  hierarchies (a hybrid host's v2 tree holds few or none), as runc decides too
 */
public record CgroupPlan(List<ContainerCgroup> cgroups, ResourceWrites resources, boolean v1) {
    public CgroupPlan {
        cgroups = List.copyOf(cgroups);
    }

    /**
     * @param systemd --systemd-cgroup: linux.cgroupsPath is "slice:prefix:name"
     * @param own     the runtime's own cgroups (/proc/self/cgroup)
     */
    public static CgroupPlan of(Spec spec, String id, boolean systemd, List<Membership> own, CgroupLayout layout)
            throws JrunException.InvalidSpec {
        Optional<String> path = spec.linux() == null ? Optional.empty() : Optional.ofNullable(spec.linux().cgroupsPath());
        List<ContainerCgroup> cgroups = CgroupPaths.resolve(path, id, systemd, own, layout);
        Resources resources = spec.linux() == null ? null : spec.linux().resources();
        boolean v1 = cgroups.stream().anyMatch(c -> c.mount() instanceof CgroupMount.V1 m
                && m.options().stream().anyMatch(o -> !o.startsWith("name=")));
        List<dev.jrun.spec.model.Linux.Device> devices = spec.linux() == null ? List.of() : spec.linux().devices();
        ResourceWrites writes = v1 ? ResourceWrites.forV1(resources, devices) : ResourceWrites.forV2(resources, devices);
        return new CgroupPlan(cgroups, writes, v1);
    }

    /** Whether linux.resources asks for anything to be written or fenced: then the container must have its cgroups. */
    public boolean asksForResources() {
        return !resources.writes().isEmpty() || resources.devices().isPresent();
    }

    /** The same resources and no cgroups: the container stays in its caller's (a rootless create that may make none). */
    public CgroupPlan withoutCgroups() {
        return new CgroupPlan(List.of(), resources, false);
    }

    /** The container's cgroup in the v2 tree, if the runtime is in it and can reach it. */
    public Optional<ContainerCgroup> unified() {
        return cgroups.stream().filter(c -> c.mount() instanceof CgroupMount.Unified).findFirst();
    }
}
