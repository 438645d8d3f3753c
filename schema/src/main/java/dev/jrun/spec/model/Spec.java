package dev.jrun.spec.model;

import java.util.List;
import java.util.Map;

/**
 * A container spec: the OCI runtime-spec config (config.md) plus jrun's extension.
 * Optional objects are null when absent; lists and maps are empty when absent.
 */
public record Spec(
        String ociVersion,
        Root root,
        List<Mount> mounts,
        Process process,
        String hostname,
        String domainname,
        Hooks hooks,
        Map<String, String> annotations,
        Linux linux,
        JrunExtension jrun) {

    public Spec {
        mounts = Immutables.list(mounts);
        annotations = Immutables.map(annotations);
    }
}
