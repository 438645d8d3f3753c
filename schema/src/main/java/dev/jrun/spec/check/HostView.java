package dev.jrun.spec.check;

import dev.jrun.spec.host.MountInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads facts about the running system that some checks need. */
public final class HostView {
    private static final Pattern NSFS_NAME = Pattern.compile("([a-z_]+):\\[(\\d+)]");

    /**
     * The kernel's type name ("net", "mnt", "pid", ...) of the namespace file at path, or empty when
     * it is not one. Works for /proc/PID/ns/* links (their link text) and for namespace files bind-mounted
     * elsewhere, e.g. by `ip netns add` (their mount's root in /proc/self/mountinfo).
     *
     * @throws java.nio.file.AccessDeniedException when the file may not be inspected (another user's /proc/PID/ns)
     */
    public Optional<String> namespaceTypeOf(Path path) throws java.nio.file.AccessDeniedException {
        try {
            if (Files.isSymbolicLink(path)) {
                Matcher m = NSFS_NAME.matcher(Files.readSymbolicLink(path).toString());
                if (m.matches()) {
                    return Optional.of(m.group(1));
                }
            }
            String target = path.toRealPath().toString();
            for (MountInfo mount : MountInfo.readOwn()) {
                Matcher m = NSFS_NAME.matcher(mount.root());
                if (mount.fstype().equals("nsfs") && mount.mountPoint().equals(target) && m.matches()) {
                    return Optional.of(m.group(1));
                }
            }
        } catch (java.nio.file.AccessDeniedException e) {
            throw e;
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** True when a network interface of that name exists in this process's network namespace and is a bridge. */
    public boolean isBridge(String interfaceName) {
        if (interfaceName.contains("/") || interfaceName.equals(".") || interfaceName.equals("..")) {
            return false;
        }
        return Files.isDirectory(Path.of("/sys/class/net", interfaceName, "bridge"));
    }
}
