package dev.jrun.spec.check;

import java.util.List;

/** The propagation types of mount(2) and their recursive forms, as the OCI spec names them. */
final class MountPropagation {
    static final List<String> NAMES = List.of(
            "shared", "rshared", "slave", "rslave", "private", "rprivate", "unbindable", "runbindable");

    private MountPropagation() {}

    static boolean isPropagation(String option) {
        return NAMES.contains(option);
    }
}
