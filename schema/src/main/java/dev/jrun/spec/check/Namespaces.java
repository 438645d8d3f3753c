package dev.jrun.spec.check;

import dev.jrun.spec.model.Linux;
import dev.jrun.spec.model.Spec;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Lookups over linux.namespaces shared by several checks. */
final class Namespaces {
    /** OCI namespace type → the kernel's nsfs name. */
    static final Map<String, String> KERNEL_NAMES = Map.of(
            "pid", "pid", "network", "net", "mount", "mnt", "ipc", "ipc",
            "uts", "uts", "user", "user", "cgroup", "cgroup", "time", "time");

    private Namespaces() {}

    static List<Linux.Namespace> of(Spec spec) {
        return spec.linux() == null ? List.of() : spec.linux().namespaces();
    }

    static Optional<Linux.Namespace> find(Spec spec, String type) {
        return of(spec).stream().filter(n -> type.equals(n.type())).findFirst();
    }

    /** A new namespace of that type is made (listed without a path). */
    static boolean isNew(Spec spec, String type) {
        return find(spec, type).map(n -> !n.joinsExisting()).orElse(false);
    }

    /** The container has its own namespace of that type, new or joined. */
    static boolean isPrivate(Spec spec, String type) {
        return find(spec, type).isPresent();
    }
}
