package dev.jrun.spec.check;

import dev.jrun.spec.model.IdMapping;
import dev.jrun.spec.model.Spec;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * A new user namespace needs uid and gid mappings, and mappings need a new user namespace
 * (a joined one already has its own). Ranges are non-empty, end at or below id 4294967294, do not overlap on
 * either side, and number at most what the kernel accepts in one uid_map (340).
 */
final class IdMappingCheck implements SemanticCheck {
    /** ids are u32 and (u32)-1 is no id: the kernel refuses an extent that reaches it (map_write in kernel/user_namespace.c). */
    static final long LAST_ID = 4294967294L;
    static final int KERNEL_MAX_EXTENTS = 340;

    @Override
    public String name() {
        return "id-mappings";
    }

    @Override
    public void check(Spec spec, CheckContext context, Findings findings) {
        List<IdMapping> uids = spec.linux() == null ? List.of() : spec.linux().uidMappings();
        List<IdMapping> gids = spec.linux() == null ? List.of() : spec.linux().gidMappings();
        boolean newUserNs = Namespaces.isNew(spec, "user");
        boolean joinedUserNs = Namespaces.isPrivate(spec, "user") && !newUserNs;
        if (newUserNs) {
            if (uids.isEmpty()) {
                findings.error("/linux/uidMappings", "a new user namespace needs uid mappings",
                        "e.g. [{containerID: 0, hostID: 100000, size: 65536}]", "none");
            }
            if (gids.isEmpty()) {
                findings.error("/linux/gidMappings", "a new user namespace needs gid mappings",
                        "e.g. [{containerID: 0, hostID: 100000, size: 65536}]", "none");
            }
        } else {
            String why = joinedUserNs ? "a joined user namespace already has its mappings" : "mappings need a new user namespace";
            String expected = joinedUserNs ? "no mappings" : "{type: user} in /linux/namespaces, or no mappings";
            if (!uids.isEmpty()) {
                findings.error("/linux/uidMappings", "uid mappings given but " + why, expected, uids.size() + " mapping(s)");
            }
            if (!gids.isEmpty()) {
                findings.error("/linux/gidMappings", "gid mappings given but " + why, expected, gids.size() + " mapping(s)");
            }
        }
        if (newUserNs) {
            requireMapped("/linux/uidMappings", uids, 0, "container uid 0 (the runtime sets the container up as root of its namespace)", findings);
            requireMapped("/linux/gidMappings", gids, 0, "container gid 0 (the runtime sets the container up as root of its namespace)", findings);
            if (spec.process() != null && spec.process().user() != null) {
                requireMapped("/process/user/uid", uids, spec.process().user().uid(), "the process's uid", findings);
                requireMapped("/process/user/gid", gids, spec.process().user().gid(), "the process's gid", findings);
            }
        }
        checkRanges("/linux/uidMappings", uids, findings);
        checkRanges("/linux/gidMappings", gids, findings);
        for (int i = 0; i < spec.mounts().size(); i++) {
            checkRanges("/mounts/" + i + "/uidMappings", spec.mounts().get(i).uidMappings(), findings);
            checkRanges("/mounts/" + i + "/gidMappings", spec.mounts().get(i).gidMappings(), findings);
        }
    }

    private static void requireMapped(String at, List<IdMapping> mappings, long id, String what, Findings findings) {
        if (mappings.isEmpty()) {
            return; // reported as missing already
        }
        boolean mapped = mappings.stream().anyMatch(m -> id >= m.containerID() && id < m.containerID() + m.size());
        if (!mapped) {
            findings.error(at, what + " is not mapped in the new user namespace", "a mapping whose container range holds " + id,
                    String.valueOf(id));
        }
    }

    static void checkRanges(String at, List<IdMapping> mappings, Findings findings) {
        if (mappings.size() > KERNEL_MAX_EXTENTS) {
            findings.error(at, "too many mappings: the kernel takes at most " + KERNEL_MAX_EXTENTS, "at most " + KERNEL_MAX_EXTENTS,
                    String.valueOf(mappings.size()));
        }
        for (int i = 0; i < mappings.size(); i++) {
            IdMapping m = mappings.get(i);
            String here = at + "/" + i;
            if (m.size() < 1) {
                findings.error(here + "/size", "a mapping must cover at least one id", "size ≥ 1", String.valueOf(m.size()));
                continue;
            }
            requireBelowLastId(here, "container", "containerID", m.containerID(), m.size(), findings);
            requireBelowLastId(here, "host", "hostID", m.hostID(), m.size(), findings);
            for (int j = 0; j < i; j++) {
                reportOverlap(here, i, j, mappings, IdMapping::containerID, "container", findings);
                reportOverlap(here, i, j, mappings, IdMapping::hostID, "host", findings);
            }
        }
    }

    /** The range's last id, start + size - 1, must be an id the kernel accepts; 4294967295 is (u32)-1. */
    private static void requireBelowLastId(String here, String side, String field, long start, long size, Findings findings) {
        long last = start + size - 1;
        if (last > LAST_ID) {
            findings.error(here + "/size", "the " + side + " ids " + start + ".." + last + " reach past " + LAST_ID
                            + ": " + (LAST_ID + 1) + " is (u32)-1, no id, and the kernel refuses a mapping that holds it",
                    field + " + size - 1 ≤ " + LAST_ID, field + " + size - 1 = " + last);
        }
    }

    private static void reportOverlap(String here, int i, int j, List<IdMapping> mappings, ToLongFunction<IdMapping> start,
                                      String side, Findings findings) {
        IdMapping a = mappings.get(i);
        IdMapping b = mappings.get(j);
        if (b.size() < 1) {
            return;
        }
        long aStart = start.applyAsLong(a);
        long bStart = start.applyAsLong(b);
        if (aStart < bStart + b.size() && bStart < aStart + a.size()) {
            findings.error(here, "the " + side + " ids " + aStart + ".." + (aStart + a.size() - 1) + " overlap mapping " + j
                    + " (" + bStart + ".." + (bStart + b.size() - 1) + ")", "disjoint ranges", side + " range of mapping " + i);
        }
    }
}
