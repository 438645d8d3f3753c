package dev.jrun.lifecycle;

import dev.jrun.spec.model.IdMapping;
import dev.jrun.spec.model.Spec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * In a new user namespace the init sets up the rootfs as the namespace's root, which on the host
 * is the uid container 0 maps to: every directory above the rootfs must let that uid through, or
 * the first mount fails with a bare EACCES. This says which directory and what to do, before create.
 */
final class RootfsReachability {
    private RootfsReachability() {}

    static Optional<String> problem(Spec spec, Path rootfs) {
        if (spec.linux() == null || spec.linux().namespaces().stream().noneMatch(n -> n.type().equals("user") && !n.joinsExisting())) {
            return Optional.empty();
        }
        long uid = hostIdOfRoot(spec.linux().uidMappings());
        long gid = hostIdOfRoot(spec.linux().gidMappings());
        for (Path dir = rootfs.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            try {
                Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dir);
                long owner = ((Number) Files.getAttribute(dir, "unix:uid")).longValue();
                long group = ((Number) Files.getAttribute(dir, "unix:gid")).longValue();
                boolean searchable = owner == uid ? mode.contains(PosixFilePermission.OWNER_EXECUTE)
                        : group == gid ? mode.contains(PosixFilePermission.GROUP_EXECUTE)
                        : mode.contains(PosixFilePermission.OTHERS_EXECUTE);
                if (!searchable) {
                    return Optional.of("the container's root (host uid " + uid + ") cannot reach its rootfs " + rootfs + ": " + dir
                            + " is mode " + java.nio.file.attribute.PosixFilePermissions.toString(mode)
                            + " for it; make it searchable (chmod o+x " + dir + ") or move the bundle");
                }
            } catch (IOException | UnsupportedOperationException e) {
                return Optional.empty(); // the kernel will say what is wrong, if anything
            }
        }
        return Optional.empty();
    }

    private static long hostIdOfRoot(List<IdMapping> mappings) {
        return mappings.stream().filter(m -> m.containerID() == 0).mapToLong(IdMapping::hostID).findFirst().orElse(-1);
    }
}
