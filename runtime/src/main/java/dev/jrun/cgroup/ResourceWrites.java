package dev.jrun.cgroup;

import dev.jrun.error.JrunException;
import dev.jrun.spec.model.Linux;
import dev.jrun.spec.model.Resources;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What linux.resources asks of a cgroup: the controller-file writes in the order they must be applied, and the
 * settings left out with the reason why (deprecated, or without effect on this cgroup version), for create to print
 * as warnings. docs/cgroups.md has the table of files, the conversions and the refusals.
 *
 * @param devices on cgroup v2, the device rules as a program to attach to the container's cgroup (v1 writes them
 *                into devices.allow and devices.deny); empty when the spec has none
 */
public record ResourceWrites(List<ControllerWrite> writes, List<String> warnings, Optional<DeviceProgram> devices) {
    public ResourceWrites {
        writes = List.copyOf(writes);
        warnings = List.copyOf(warnings);
    }

    /** Writes alone, with no device program. */
    public ResourceWrites(List<ControllerWrite> writes, List<String> warnings) {
        this(writes, warnings, Optional.empty());
    }

    /**
     * The controllers the writes need, in the order of their first write: on v2 the ones the parent must delegate
     * (cgroup.subtree_control), on v1 the hierarchies the container needs a directory in. "cgroup" (v2's core files,
     * reachable only through unified) needs no controller and is left out.
     */
    public Set<String> controllers() {
        Set<String> controllers = new LinkedHashSet<>();
        for (ControllerWrite write : writes) {
            if (!write.controller().equals("cgroup")) {
                controllers.add(write.controller());
            }
        }
        return Collections.unmodifiableSet(controllers);
    }

    /** The writes into one cgroup v2 directory (none when resources is null); every bad value is refused at once. */
    public static ResourceWrites forV2(Resources resources) throws JrunException.InvalidSpec {
        return forV2(resources, List.of());
    }

    /** As {@link #forV2(Resources)}, with the spec's linux.devices, which the device rules always allow. */
    public static ResourceWrites forV2(Resources resources, List<Linux.Device> devices) throws JrunException.InvalidSpec {
        return ResourceTranslation.translate("cgroup v2", "max", resources, devices, V2ResourceWrites.STEPS);
    }

    /** The writes into the cgroup v1 hierarchies, one directory per controller; every bad value is refused at once. */
    public static ResourceWrites forV1(Resources resources) throws JrunException.InvalidSpec {
        return forV1(resources, List.of());
    }

    /** As {@link #forV1(Resources)}, with the spec's linux.devices, which the device rules always allow. */
    public static ResourceWrites forV1(Resources resources, List<Linux.Device> devices) throws JrunException.InvalidSpec {
        return ResourceTranslation.translate("cgroup v1", "limit_in_bytes", resources, devices, V1ResourceWrites.STEPS);
    }
}
