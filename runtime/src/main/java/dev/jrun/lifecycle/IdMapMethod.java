package dev.jrun.lifecycle;

import dev.jrun.spec.model.IdMapping;
import java.util.List;

/**
 * How one map of a new user namespace gets written, decided from the map and from who writes it (user_namespaces(7)).
 * Pure, so that create knows before planning whether the container may call setgroups(2).
 */
sealed interface IdMapMethod {

    /** Root (CAP_SETUID and CAP_SETGID over the parent namespace) writes any map itself; setgroups stays "allow". */
    record Privileged() implements IdMapMethod {}

    /**
     * An unprivileged writer may write exactly one line mapping its own id, of size 1; the kernel takes such a gid map
     * only after /proc/PID/setgroups is "deny", so the container can never call setgroups(2).
     */
    record OwnId() implements IdMapMethod {}

    /**
     * Any other map of an unprivileged writer: the setuid helper of the uidmap package writes it after checking each
     * range against the writer's subordinate ids (/etc/subuid, /etc/subgid), as runc and podman do.
     */
    record SetuidHelper(String program) implements IdMapMethod {}

    /** Which map: its /proc file, the helper that writes it for an unprivileged user, and the file that helper checks. */
    enum Kind {
        UID("uid_map", "newuidmap", "/etc/subuid"),
        GID("gid_map", "newgidmap", "/etc/subgid");

        final String file;
        final String helper;
        final String subordinateIds;

        Kind(String file, String helper, String subordinateIds) {
            this.file = file;
            this.helper = helper;
            this.subordinateIds = subordinateIds;
        }
    }

    /**
     * @param ownId      the writer's effective uid (UID) or gid (GID)
     * @param privileged whether the writer is root, who may write any map
     */
    static IdMapMethod choose(Kind kind, List<IdMapping> mappings, long ownId, boolean privileged) {
        if (privileged) {
            return new Privileged();
        }
        if (mappings.size() == 1 && mappings.getFirst().size() == 1 && mappings.getFirst().hostID() == ownId) {
            return new OwnId();
        }
        return new SetuidHelper(kind.helper);
    }

    /** Whether the container's setgroups(2) will be refused: its gid map was written by an unprivileged user alone. */
    static boolean deniesSetgroups(IdMapMethod gidMethod) {
        return gidMethod instanceof OwnId;
    }
}
