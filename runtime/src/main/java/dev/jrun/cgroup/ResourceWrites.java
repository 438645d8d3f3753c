package dev.jrun.cgroup;

import dev.jrun.error.JrunException;
import dev.jrun.spec.model.Resources;
import java.util.List;

/**
 * What linux.resources asks of a cgroup: the controller-file writes in the order they must be applied, and the
 * settings left out with the reason why (deprecated, or without effect on this cgroup version), for create to print
 * as warnings. docs/cgroups.md has the table of files, the conversions and the refusals.
 */
public record ResourceWrites(List<ControllerWrite> writes, List<String> warnings) {
    public ResourceWrites {
        writes = List.copyOf(writes);
        warnings = List.copyOf(warnings);
    }

    /** The writes into one cgroup v2 directory (none when resources is null); every bad value is refused at once. */
    public static ResourceWrites forV2(Resources resources) throws JrunException.InvalidSpec {
        return ResourceTranslation.translate("cgroup v2", "max", resources, V2ResourceWrites.STEPS);
    }

    /** The writes into the cgroup v1 hierarchies, one directory per controller; every bad value is refused at once. */
    public static ResourceWrites forV1(Resources resources) throws JrunException.InvalidSpec {
        return ResourceTranslation.translate("cgroup v1", "limit_in_bytes", resources, V1ResourceWrites.STEPS);
    }
}
