package dev.jrun.cgroup;

import dev.jrun.error.JrunException;
import dev.jrun.spec.model.Resources;
import dev.jrun.sys.ProcFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * `update`: new linux.resources values for a container whose cgroups exist and hold its processes. The values are
 * translated as create translates them ({@link ResourceWrites}) and written by {@link ResourceWriter}; what differs
 * is that the cgroup already has limits, so the order of the v1 memory limits depends on them (docs/cgroups.md,
 * "Updating a container").
 */
public final class CgroupUpdate {
    static final String LIMIT = "memory.limit_in_bytes";
    static final String MEMSW = "memory.memsw.limit_in_bytes";
    /** v1 shows "no limit" as the page counter's maximum (9223372036854771712 with 4 KiB pages): no real limit comes near. */
    private static final long V1_UNLIMITED = Long.MAX_VALUE / 2;

    private final Map<String, Path> byHierarchy;
    private final boolean v1;

    /** byHierarchy: the container's cgroup by hierarchy name as create recorded it ("memory", "cpu,cpuacct", "unified"). */
    public CgroupUpdate(Map<String, Path> byHierarchy) {
        this.byHierarchy = Map.copyOf(byHierarchy);
        // as CgroupPlan decides at create: v1 when the container has a hierarchy with a v1 controller
        this.v1 = byHierarchy.keySet().stream().anyMatch(h -> !h.equals("unified")
                && Arrays.stream(h.split(",")).anyMatch(c -> !c.startsWith("name=")));
    }

    public boolean v1() {
        return v1;
    }

    /**
     * The request as the translation needs it whole: a memory+swap limit given without the memory limit is taken with
     * the cgroup's present memory limit (runc takes it from its stored config), since swap is only meaningful
     * against it. Without a present limit the request stays as it is, and the translation refuses it.
     */
    public Resources withPresentLimit(Resources resources) throws JrunException.SystemFailure {
        Resources.Memory memory = resources.memory();
        if (memory == null || memory.swap() == null || memory.swap() <= 0 || (memory.limit() != null && memory.limit() != 0)) {
            return resources;
        }
        Long present = presentLimit();
        if (present == null) {
            return resources;
        }
        Resources.Memory completed = new Resources.Memory(present, memory.reservation(), memory.swap(), memory.kernel(),
                memory.kernelTCP(), memory.swappiness(), memory.disableOOMKiller(), memory.useHierarchy(), memory.checkBeforeUpdate());
        return new Resources(resources.devices(), completed, resources.cpu(), resources.blockIO(), resources.hugepageLimits(),
                resources.network(), resources.pids(), resources.rdma(), resources.unified());
    }

    /** The writes for resources on this container's cgroup version (devices are update's to leave out). */
    public ResourceWrites translate(Resources resources) throws JrunException.InvalidSpec {
        return v1 ? ResourceWrites.forV1(resources) : ResourceWrites.forV2(resources);
    }

    /**
     * Writes them, in order; the first value the kernel refuses stops the update with the ones before it applied (as
     * runc does: cgroup files have no transaction to roll back into).
     */
    public void apply(ResourceWrites resources) throws JrunException.SystemFailure {
        List<ControllerWrite> writes = resources.writes();
        if (v1) {
            Map<String, Path> byController = byController();
            Path memory = byController.get("memory");
            if (memory != null) {
                writes = withoutAbsentUnlimitedSwap(writes, memory);
                if (has(writes, LIMIT) && has(writes, MEMSW)) {
                    writes = memoryOrder(writes, readUnsigned(memory.resolve(LIMIT)));
                }
            }
            ResourceWriter.writeV1(byController, writes);
            return;
        }
        Path unified = byHierarchy.get("unified");
        if (unified == null) {
            throw new JrunException.SystemFailure("cannot apply linux.resources: the container has no cgroup v2 directory"
                    + " recorded (its cgroups: " + byHierarchy.values() + ")", null);
        }
        if (!writes.isEmpty()) {
            Path mountPoint = CgroupLayout.readOwn().mounts().stream()
                    .filter(m -> m instanceof CgroupMount.Unified && unified.startsWith(m.mountPoint()))
                    .map(CgroupMount::mountPoint).findFirst().orElseThrow(() -> new JrunException.SystemFailure(
                            "cannot apply linux.resources: " + unified + " is below no cgroup2 mount this jrun sees", null));
            CgroupPlacement.delegate(unified, mountPoint, resources.controllers());
            ResourceWriter.writeV2(unified, writes);
        }
    }

    /**
     * v1's memory limit and memory+swap limit in an order the kernel takes: memory.memsw.limit_in_bytes may never be
     * below memory.limit_in_bytes, so the swap limit goes first when it is unlimited or above the present memory
     * limit (the memory limit is raised), else the memory limit goes first (it is lowered). runc orders them by the
     * same test.
     *
     * @param presentLimit memory.limit_in_bytes as the cgroup has it now, unsigned
     */
    static List<ControllerWrite> memoryOrder(List<ControllerWrite> writes, long presentLimit) {
        int limitAt = indexOf(writes, LIMIT);
        int swapAt = indexOf(writes, MEMSW);
        if (limitAt < 0 || swapAt < 0) {
            return writes;
        }
        long swap = Long.parseLong(writes.get(swapAt).value());
        boolean swapFirst = swap == -1 || Long.compareUnsigned(presentLimit, swap) < 0;
        List<ControllerWrite> ordered = new ArrayList<>(writes);
        ControllerWrite limit = ordered.get(limitAt);
        ControllerWrite memsw = ordered.get(swapAt);
        int first = Math.min(limitAt, swapAt);
        ordered.remove(Math.max(limitAt, swapAt));
        ordered.remove(first);
        ordered.add(first, swapFirst ? limit : memsw);
        ordered.add(first, swapFirst ? memsw : limit);
        return ordered;
    }

    /**
     * "No swap limit" asked where the kernel keeps no swap accounting (no memsw files): nothing to lift, as runc
     * leaves it. A swap limit with a value is kept, and fails naming the missing file.
     */
    private static List<ControllerWrite> withoutAbsentUnlimitedSwap(List<ControllerWrite> writes, Path memory) {
        if (Files.exists(memory.resolve(MEMSW), LinkOption.NOFOLLOW_LINKS)) {
            return writes;
        }
        return writes.stream().filter(w -> !(w.file().equals(MEMSW) && w.value().equals("-1"))).toList();
    }

    /** The present memory limit in bytes, or null when there is none. */
    private Long presentLimit() throws JrunException.SystemFailure {
        if (v1) {
            Path memory = byController().get("memory");
            if (memory == null) {
                return null;
            }
            long limit = readUnsigned(memory.resolve(LIMIT));
            return Long.compareUnsigned(limit, V1_UNLIMITED) >= 0 ? null : limit;
        }
        Path unified = byHierarchy.get("unified");
        if (unified == null || !Files.exists(unified.resolve("memory.max"))) {
            return null;
        }
        String max = read(unified.resolve("memory.max"));
        return max.equals("max") ? null : Long.parseLong(max);
    }

    /** v1: each controller's directory, by the controllers its hierarchy holds ("cpu,cpuacct" gives both). */
    private Map<String, Path> byController() {
        Map<String, Path> byController = new HashMap<>();
        byHierarchy.forEach((hierarchy, directory) -> {
            if (!hierarchy.equals("unified")) {
                for (String controller : hierarchy.split(",")) {
                    byController.putIfAbsent(controller, directory);
                }
            }
        });
        return byController;
    }

    private static long readUnsigned(Path file) throws JrunException.SystemFailure {
        String value = read(file);
        try {
            return Long.parseUnsignedLong(value);
        } catch (NumberFormatException e) {
            throw new JrunException.SystemFailure("cannot apply linux.resources: " + file + " holds \"" + value
                    + "\", not a byte count", e);
        }
    }

    private static String read(Path file) throws JrunException.SystemFailure {
        try {
            return ProcFiles.read(file).strip();
        } catch (IOException e) {
            throw new JrunException.SystemFailure("cannot apply linux.resources: cannot read " + file + ": "
                    + CgroupFiles.reason(e), e);
        }
    }

    private static boolean has(List<ControllerWrite> writes, String file) {
        return indexOf(writes, file) >= 0;
    }

    private static int indexOf(List<ControllerWrite> writes, String file) {
        for (int i = 0; i < writes.size(); i++) {
            if (writes.get(i).file().equals(file)) {
                return i;
            }
        }
        return -1;
    }
}
