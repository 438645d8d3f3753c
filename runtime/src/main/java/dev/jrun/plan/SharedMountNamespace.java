package dev.jrun.plan;

import dev.jrun.spec.model.Linux;
import dev.jrun.spec.model.Spec;
import java.util.ArrayList;
import java.util.List;

/**
 * A spec without a mount namespace (no {@code {type: mount}} in linux.namespaces): the container shares the runtime's
 * mount namespace, as config-linux.md allows, and its root is a chroot. What cannot be honoured so is refused with
 * its pointer; what the user should know is returned as warnings for the runtime's log (docs/spec.md, "Without a
 * mount namespace").
 */
final class SharedMountNamespace {
    private SharedMountNamespace() {}

    static List<String> check(Spec spec, boolean noPivot) throws PlanException {
        Linux linux = spec.linux();
        if (linux != null) {
            for (int i = 0; i < linux.namespaces().size(); i++) {
                if (linux.namespaces().get(i).type().equals("user")) {
                    throw new PlanException(StepList.pointer("/linux/namespaces", i), "without a mount namespace of its own, the"
                            + " container mounts in the runtime's, which a user namespace gives no right to mount in (the kernel"
                            + " answers EPERM); add {type: mount} to linux.namespaces, or remove the user namespace");
                }
            }
            // runc 1.1.5 refuses these too ("unable to restrict sys entries without a private MNT namespace"): each would
            // be a mount made from inside the chroot, through paths the container controls, in the runtime's mount table.
            if (!linux.maskedPaths().isEmpty()) {
                throw refusedPaths("/linux/maskedPaths", "maskedPaths");
            }
            if (!linux.readonlyPaths().isEmpty()) {
                throw refusedPaths("/linux/readonlyPaths", "readonlyPaths");
            }
        }
        List<String> warnings = new ArrayList<>();
        warnings.add("the spec asks for no mount namespace (no {type: mount} in /linux/namespaces): the container shares the"
                + " runtime's, so the mounts jrun makes under its rootfs are visible to the host and to every container that"
                + " shares it too, a process of the container with CAP_SYS_ADMIN can change the host's mounts, and its root"
                + " is a chroot, which CAP_SYS_CHROOT can leave (docs/spec.md, \"Without a mount namespace\")");
        if (noPivot) {
            warnings.add("--no-pivot is ignored: without a mount namespace of its own the container's root is a chroot;"
                    + " moving the rootfs onto / would replace the root of the runtime's mount namespace");
        }
        return warnings;
    }

    private static PlanException refusedPaths(String pointer, String key) {
        return new PlanException(pointer, key + " need a mount namespace of the container's own: without one, each would be a"
                + " mount in the runtime's mount namespace made through paths inside the container; add {type: mount} to"
                + " linux.namespaces, or remove linux." + key + " (runc refuses them too)");
    }
}
