package dev.jrun.cgroup;

import dev.jrun.error.JrunException;
import dev.jrun.spec.model.Linux;
import dev.jrun.spec.model.Resources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The work shared by {@link V2ResourceWrites} and {@link V1ResourceWrites}: collecting writes, warnings and refusals
 * (every refusal is found before any is reported, and all before anything is written), and the checks whose rules
 * are the same on both versions.
 */
final class ResourceTranslation {
    static final String ROOT = "/linux/resources";

    /** A cpuset list as the kernel parses it (cpulist_parse): "0-3,8,10-11". */
    private static final Pattern CPU_LIST = Pattern.compile("\\d+(-\\d+)?(,\\d+(-\\d+)?)*");
    /** hugetlb's names for its page sizes: 64KB, 2MB, 1GB (the kernel's mem_fmt). */
    private static final Pattern PAGE_SIZE = Pattern.compile("[1-9]\\d*[KMG]B");
    /** An RDMA device name as the rdma controller takes it: one word without spaces or '='. */
    private static final Pattern RDMA_DEVICE = Pattern.compile("[^\\s=/]+");

    /** The kernel's limits on CFS bandwidth (kernel/sched/core.c): 1 ms ≤ period ≤ 1 s, quota ≥ 1 ms. */
    private static final long MIN_CFS_MICROS = 1_000;
    private static final long MAX_CFS_PERIOD_MICROS = 1_000_000;
    /** cpu.shares as the kernel keeps it: MIN_SHARES (2) to MAX_SHARES (1 << 18); other values are silently clamped. */
    static final long MIN_SHARES = 2;
    static final long MAX_SHARES = 1L << 18;
    /** blkio weights in the spec (and CFQ/BFQ): 10 to 1000. */
    private static final int MIN_BLKIO_WEIGHT = 10;
    private static final int MAX_BLKIO_WEIGHT = 1000;

    private final String version;
    private final List<ControllerWrite> writes = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private DeviceProgram deviceProgram;

    ResourceTranslation(String version) {
        this.version = version;
    }

    /** What each version writes for the settings whose files differ between v1 and v2. */
    interface Steps {
        void cpu(Resources.Cpu cpu, ResourceTranslation out);

        void memory(Resources.Memory memory, ResourceTranslation out);

        void blockIo(Resources.BlockIo io, ResourceTranslation out);

        void network(Resources.Network network, ResourceTranslation out);

        void unified(Map<String, String> unified, ResourceTranslation out);

        /** The device allowlist; devices are linux.devices, which every container may use. */
        void devices(List<Resources.DeviceRule> rules, List<Linux.Device> devices, ResourceTranslation out);
    }

    /** The writes for resources in the order to apply them (docs/cgroups.md, "Order"), or every refusal at once. */
    static ResourceWrites translate(String version, String hugepageFile, Resources resources, List<Linux.Device> devices, Steps steps)
            throws JrunException.InvalidSpec {
        ResourceTranslation out = new ResourceTranslation(version);
        if (resources == null) {
            return out.result();
        }
        out.cpuset(resources.cpu());
        if (resources.cpu() != null) {
            steps.cpu(resources.cpu(), out);
            out.cpuIdle(resources.cpu());
        }
        if (resources.memory() != null) {
            out.ignoreKernelMemory(resources.memory());
            steps.memory(resources.memory(), out);
        }
        out.pids(resources.pids());
        if (resources.blockIO() != null) {
            steps.blockIo(resources.blockIO(), out);
        }
        out.hugepages(resources.hugepageLimits(), hugepageFile);
        out.rdma(resources.rdma());
        if (resources.network() != null) {
            steps.network(resources.network(), out);
        }
        steps.devices(resources.devices(), devices, out);
        steps.unified(resources.unified(), out);
        return out.result();
    }

    void write(String controller, String file, String value, String pointer) {
        writes.add(new ControllerWrite(controller, file, value, pointer));
    }

    /** v2's device rules: the program to attach to the container's cgroup. */
    void deviceProgram(DeviceProgram program) {
        deviceProgram = program;
    }

    void refuse(String pointer, String why) {
        problems.add("error: " + pointer + ": " + why);
    }

    /** A setting with no file on this version: refused unless it is absent (or holds the value that asks for nothing). */
    void refuseOnThisVersion(String pointer, String why) {
        refuse(pointer, "not supported on " + version + ": " + why);
    }

    void warn(String pointer, String why) {
        warnings.add(pointer + ": " + why);
    }

    ResourceWrites result() throws JrunException.InvalidSpec {
        if (!problems.isEmpty()) {
            throw new JrunException.InvalidSpec(String.join("\n", problems), false);
        }
        return new ResourceWrites(writes, warnings, Optional.ofNullable(deviceProgram));
    }

    /** cpu.shares when set (0 is unset) and within the kernel's range, else null (refused when out of range). */
    Long shares(Resources.Cpu cpu) {
        Long shares = cpu.shares();
        if (shares == null || shares == 0) {
            return null;
        }
        if (shares < MIN_SHARES || shares > MAX_SHARES) {
            // v1's kernel would clamp it without a word (runc reads it back and fails); v2's weight has no room for it
            refuse(ROOT + "/cpu/shares", shares + " is outside the kernel's range of cpu shares, " + MIN_SHARES + " to " + MAX_SHARES);
            return null;
        }
        return shares;
    }

    /**
     * The spec's swap is memory+swap on both versions: a positive one needs a positive limit no greater than it. True
     * when that holds or swap asks for nothing more (0, unset; -1, unlimited).
     */
    private boolean swapValid(long limit, long swap) {
        String pointer = ROOT + "/memory/swap";
        if (swap > 0 && limit <= 0) {
            refuse(pointer, "a swap limit of " + swap + " needs a memory limit: swap is memory+swap, so limit must be set and at most swap");
            return false;
        }
        if (swap > 0 && swap < limit) {
            refuse(pointer, swap + " is below the memory limit of " + limit + ": swap is memory+swap and must be at least the limit");
            return false;
        }
        return true;
    }

    /**
     * The memory limit and the memory+swap limit, 0 when unset, each with whether it may be written: both checked as
     * byte counts, and swap against the limit.
     */
    record MemoryLimits(long limit, boolean limitValid, long swap, boolean swapValid) {}

    MemoryLimits memoryLimits(Resources.Memory memory) {
        long limit = memory.limit() == null ? 0 : memory.limit();
        long swap = memory.swap() == null ? 0 : memory.swap();
        boolean limitValid = bytesOrUnlimited(limit, ROOT + "/memory/limit");
        boolean swapValid = bytesOrUnlimited(swap, ROOT + "/memory/swap") && limitValid && swapValid(limit, swap);
        return new MemoryLimits(limit, limitValid, swap, swapValid);
    }

    /** A byte count as the memory files take it: -1 for no limit, 0 for unset, else positive. */
    boolean bytesOrUnlimited(long value, String pointer) {
        if (value < -1) {
            refuse(pointer, value + " is negative; use -1 for no limit");
            return false;
        }
        return true;
    }

    /** cpuset.cpus and cpuset.mems, first of all: a v1 cpuset cgroup without them refuses every task (ENOSPC). */
    void cpuset(Resources.Cpu cpu) {
        if (cpu == null) {
            return;
        }
        cpuList(cpu.cpus(), "cpus", "CPUs");
        cpuList(cpu.mems(), "mems", "memory nodes");
    }

    private void cpuList(String list, String key, String what) {
        if (list == null || list.isEmpty()) {
            return;
        }
        String pointer = ROOT + "/cpu/" + key;
        if (!CPU_LIST.matcher(list).matches()) {
            refuse(pointer, "\"" + list + "\" is not a list of " + what + " such as \"0-3,6\"");
        } else if (!rangesAscend(list)) {
            refuse(pointer, "\"" + list + "\" has a range whose end is below its start");
        } else {
            write("cpuset", "cpuset." + key, list, pointer);
        }
    }

    private static boolean rangesAscend(String list) {
        for (String range : list.split(",")) {
            int dash = range.indexOf('-');
            if (dash > 0 && Long.parseLong(range.substring(0, dash)) > Long.parseLong(range.substring(dash + 1))) {
                return false;
            }
        }
        return true;
    }

    /** The checks on cpu quota, period and burst that both versions share; true when they all hold. */
    boolean cpuBandwidthValid(Resources.Cpu cpu) {
        boolean valid = true;
        String base = ROOT + "/cpu/";
        Long quota = cpu.quota();
        Long period = cpu.period();
        if (quota != null && quota > 0 && quota < MIN_CFS_MICROS) {
            refuse(base + "quota", quota + " µs is below the kernel's minimum quota of " + MIN_CFS_MICROS + " µs (1 ms); use -1 for no limit");
            valid = false;
        }
        if (period != null && period != 0 && (period < MIN_CFS_MICROS || period > MAX_CFS_PERIOD_MICROS)) {
            refuse(base + "period", period + " µs is outside the kernel's range of " + MIN_CFS_MICROS + " to " + MAX_CFS_PERIOD_MICROS + " µs");
            valid = false;
        }
        Long burst = cpu.burst();
        if (burst != null && burst < 0) {
            refuse(base + "burst", burst + " is negative; a burst is a number of µs");
            valid = false;
        } else if (burst != null && quota != null && quota > 0 && burst > quota) {
            refuse(base + "burst", burst + " µs is more than the quota of " + quota + " µs; the kernel allows a burst up to the quota");
            valid = false;
        }
        return valid;
    }

    /** cpu.idle, the same file on both versions: 1 gives the cgroup SCHED_IDLE's lowest priority. */
    void cpuIdle(Resources.Cpu cpu) {
        if (cpu.idle() == null) {
            return;
        }
        String pointer = ROOT + "/cpu/idle";
        if (cpu.idle() != 0 && cpu.idle() != 1) {
            refuse(pointer, cpu.idle() + " is neither 0 nor 1");
        } else {
            write("cpu", "cpu.idle", Long.toString(cpu.idle()), pointer);
        }
    }

    /** pids.max, the same file on both versions: a limit of 0 or less means none, as runc reads it. */
    void pids(Resources.Pids pids) {
        if (pids == null || pids.limit() == null) {
            return;
        }
        long limit = pids.limit();
        write("pids", "pids.max", limit > 0 ? Long.toString(limit) : "max", ROOT + "/pids/limit");
    }

    /** hugetlb.&lt;size&gt;.&lt;suffix&gt;: limit_in_bytes on v1, max on v2. */
    void hugepages(List<Resources.HugepageLimit> limits, String suffix) {
        for (int i = 0; i < limits.size(); i++) {
            Resources.HugepageLimit limit = limits.get(i);
            String pointer = ROOT + "/hugepageLimits/" + i;
            if (limit.pageSize() == null || !PAGE_SIZE.matcher(limit.pageSize()).matches()) {
                refuse(pointer + "/pageSize", "\"" + limit.pageSize() + "\" is not a huge page size as hugetlb names them, such as 2MB or 1GB");
            } else if (limit.limit() < 0) {
                refuse(pointer + "/limit", limit.limit() + " is negative; a limit is a number of bytes");
            } else {
                write("hugetlb", "hugetlb." + limit.pageSize() + "." + suffix, Long.toString(limit.limit()), pointer);
            }
        }
    }

    /** rdma.max, the same file on both versions: one line per device; a count left out stays unlimited. */
    void rdma(Map<String, Resources.Rdma> rdma) {
        for (Map.Entry<String, Resources.Rdma> entry : rdma.entrySet()) {
            String pointer = ROOT + "/rdma/" + entry.getKey().replace("~", "~0").replace("/", "~1");
            Resources.Rdma limits = entry.getValue();
            if (!RDMA_DEVICE.matcher(entry.getKey()).matches()) {
                refuse(pointer, "\"" + entry.getKey() + "\" is not an RDMA device name");
                continue;
            }
            StringBuilder line = new StringBuilder(entry.getKey());
            if (limits != null && limits.hcaHandles() != null) {
                line.append(" hca_handle=").append(count(limits.hcaHandles(), pointer + "/hcaHandles"));
            }
            if (limits != null && limits.hcaObjects() != null) {
                line.append(" hca_object=").append(count(limits.hcaObjects(), pointer + "/hcaObjects"));
            }
            if (line.length() > entry.getKey().length()) {
                write("rdma", "rdma.max", line.toString(), pointer);
            }
        }
    }

    private String count(long value, String pointer) {
        if (value < 0) {
            refuse(pointer, value + " is negative");
        }
        return Long.toString(value);
    }

    /** A blkio weight (the default or a device's): 10 to 1000, as the spec and the v1 kernel take it. */
    boolean blkioWeightValid(Integer weight, String pointer) {
        if (weight != null && (weight < MIN_BLKIO_WEIGHT || weight > MAX_BLKIO_WEIGHT)) {
            refuse(pointer, weight + " is outside the blkio weight range of " + MIN_BLKIO_WEIGHT + " to " + MAX_BLKIO_WEIGHT);
            return false;
        }
        return true;
    }

    /** A throttle rate: bytes or operations per second, never negative. */
    boolean rateValid(Resources.ThrottleDevice device, String pointer) {
        boolean valid = deviceValid(device.major(), device.minor(), pointer);
        if (device.rate() < 0) {
            refuse(pointer + "/rate", device.rate() + " is negative");
            valid = false;
        }
        return valid;
    }

    boolean deviceValid(long major, long minor, String pointer) {
        if (major < 0 || minor < 0) {
            refuse(pointer, "device " + major + ":" + minor + " has a negative number");
            return false;
        }
        return true;
    }

    /** Kernel memory limits: deprecated by Linux (v1's kmem.limit_in_bytes no longer limits), and ignored by runc. */
    void ignoreKernelMemory(Resources.Memory memory) {
        if (memory.kernel() != null && memory.kernel() != 0) {
            warn(ROOT + "/memory/kernel", "ignored: kernel memory limits are deprecated and no longer enforced by Linux");
        }
        if (memory.useHierarchy() != null) {
            warn(ROOT + "/memory/useHierarchy", "ignored: the memory controller is always hierarchical on current kernels");
        }
    }
}
