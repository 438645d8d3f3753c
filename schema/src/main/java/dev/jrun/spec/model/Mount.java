package dev.jrun.spec.model;

import java.util.List;

/** One entry of mounts, applied in order. */
public record Mount(
        String destination,
        String source,
        String type,
        List<String> options,
        List<IdMapping> uidMappings,
        List<IdMapping> gidMappings) {

    public Mount {
        options = Immutables.list(options);
        uidMappings = Immutables.list(uidMappings);
        gidMappings = Immutables.list(gidMappings);
    }
}
