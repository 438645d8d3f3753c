package dev.jrun.lifecycle;

import dev.jrun.plan.ExecPlanRequest.ContainerNamespace;
import dev.jrun.sys.FileIdentity;
import dev.jrun.sys.NamespaceOwner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The namespaces an exec'd process joins: every namespace of the container's init that jrun itself is not in
 * (new ones and joined ones alike, as runc joins those its config lists). Read from /proc, not from the spec:
 * what the init is in is the truth, whatever the spec asked.
 */
final class ExecNamespaces {
    /** The spec's name for each kind → its name under /proc/PID/ns. */
    private static final Map<String, String> PROC_NAMES = Map.of("user", "user", "ipc", "ipc", "uts", "uts", "network", "net",
            "pid", "pid", "cgroup", "cgroup", "time", "time", "mount", "mnt");

    private ExecNamespaces() {}

    /** Whether the init's user namespace has setgroups "deny" (a rootless own-gid map), where setgroups(2) always fails. */
    static boolean setgroupsDenied(long initPid) {
        try {
            return java.nio.file.Files.readString(Path.of("/proc", Long.toString(initPid), "setgroups")).strip().equals("deny");
        } catch (java.io.IOException e) {
            return false; // gone: the exec fails at its first step and says so
        }
    }

    /**
     * The init's root, /proc/PID/root, when the init is in jrun's own mount namespace (a spec without {type: mount}):
     * there is nothing to join, and without a chroot the process would see the host's root (as runc 1.1.5's exec does).
     */
    static Optional<String> sharedRoot(long initPid) {
        Path initNs = Path.of("/proc", Long.toString(initPid), "ns", "mnt");
        Optional<FileIdentity> theirs = FileIdentity.of(initNs);
        return theirs.isPresent() && theirs.equals(FileIdentity.of(Path.of("/proc/self/ns/mnt")))
                ? Optional.of(Path.of("/proc", Long.toString(initPid), "root").toString())
                : Optional.empty();
    }

    static List<ContainerNamespace> of(long initPid) {
        Path initNs = Path.of("/proc", Long.toString(initPid), "ns");
        Optional<FileIdentity> containerUser = FileIdentity.of(initNs.resolve("user"));
        List<ContainerNamespace> joins = new ArrayList<>();
        PROC_NAMES.forEach((type, procName) -> {
            Path theirs = initNs.resolve(procName);
            Optional<FileIdentity> identity = FileIdentity.of(theirs);
            if (identity.isEmpty() || identity.equals(FileIdentity.of(Path.of("/proc/self/ns", procName)))) {
                return; // the kind does not exist here (time on an old kernel), or jrun is in it already
            }
            boolean owned = type.equals("user") || NamespaceOwner.of(theirs).equals(containerUser);
            joins.add(new ContainerNamespace(type, theirs.toString(), owned));
        });
        return joins;
    }
}
