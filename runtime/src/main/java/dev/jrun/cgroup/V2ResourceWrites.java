package dev.jrun.cgroup;

import static dev.jrun.cgroup.ResourceTranslation.ROOT;

import dev.jrun.spec.model.Linux;
import dev.jrun.spec.model.Resources;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * linux.resources as writes into one cgroup v2 directory (docs/cgroups.md has the table and the conversions). The
 * settings the spec states in v1's terms are converted as runc and crun convert them; the ones v2 has no file for are
 * refused, except those runc ignores (kernel memory, leaf weights), which become warnings.
 */
final class V2ResourceWrites implements ResourceTranslation.Steps {
    static final V2ResourceWrites STEPS = new V2ResourceWrites();
    /** The files of a cgroup that act on its processes: not limits, and placement is jrun's (docs/cgroups.md). */
    private static final Set<String> PROCESS_FILES = Set.of("cgroup.procs", "cgroup.threads", "cgroup.kill");

    private V2ResourceWrites() {}

    /**
     * cpu.shares (2 to 262144, default 1024) as cpu.weight (1 to 10000, default 100) by the curve runc (1.3.2 and
     * later) and crun (1.23 and later) use: with l = log2(shares), weight = ⌈10^((l² + 125·l) / 612 − 7/34)⌉, which
     * maps 2 → 1, 1024 → 100 and 262144 → 10000.
     */
    static long cpuWeight(long shares) {
        if (shares <= ResourceTranslation.MIN_SHARES) {
            return 1;
        }
        if (shares >= ResourceTranslation.MAX_SHARES) {
            return 10_000;
        }
        double l = Math.log(shares) / Math.log(2);
        double exponent = (l * l + 125 * l) / 612.0 - 7.0 / 34.0;
        return (long) Math.ceil(Math.pow(10, exponent));
    }

    /** A blkio weight (10 to 1000) as an io.weight (1 to 10000), linearly, as runc and crun convert it. */
    static long ioWeight(int blkioWeight) {
        return 1 + (blkioWeight - 10L) * 9999 / 990;
    }

    /**
     * v2 has no devices controller: the rules become a BPF device program that gives v1's verdicts, which create
     * attaches to the container's cgroup before the init joins it (docs/cgroups.md, "Device rules").
     */
    @Override
    public void devices(List<Resources.DeviceRule> rules, List<Linux.Device> devices, ResourceTranslation out) {
        DeviceRules.v2(rules, devices, out);
    }

    @Override
    public void cpu(Resources.Cpu cpu, ResourceTranslation out) {
        String base = ROOT + "/cpu/";
        Long shares = out.shares(cpu);
        if (shares != null) {
            out.write("cpu", "cpu.weight", Long.toString(cpuWeight(shares)), base + "shares");
        }
        if (out.cpuBandwidthValid(cpu)) {
            long quota = cpu.quota() == null ? 0 : cpu.quota();
            long period = cpu.period() == null ? 0 : cpu.period();
            if (quota != 0 || period != 0) {
                String max = (quota > 0 ? Long.toString(quota) : "max") + (period != 0 ? " " + period : "");
                out.write("cpu", "cpu.max", max, base + (quota != 0 ? "quota" : "period"));
            }
            if (cpu.burst() != null) {
                out.write("cpu", "cpu.max.burst", Long.toString(cpu.burst()), base + "burst"); // after cpu.max: a burst may not exceed the quota
            }
        }
        if (nonZero(cpu.realtimeRuntime()) || nonZero(cpu.realtimePeriod())) {
            out.refuseOnThisVersion(base + (nonZero(cpu.realtimeRuntime()) ? "realtimeRuntime" : "realtimePeriod"),
                    "the v2 cpu controller has no real-time budget (cpu.rt_runtime_us is v1's); leave realtimeRuntime and realtimePeriod out");
        }
    }

    @Override
    public void memory(Resources.Memory memory, ResourceTranslation out) {
        String base = ROOT + "/memory/";
        ResourceTranslation.MemoryLimits limits = out.memoryLimits(memory);
        if (limits.swapValid()) {
            swapMax(limits.limit(), limits.swap(), base + "swap", out);
        }
        if (limits.limitValid() && limits.limit() != 0) {
            out.write("memory", "memory.max", maxOf(limits.limit()), base + "limit");
        }
        long reservation = memory.reservation() == null ? 0 : memory.reservation();
        if (out.bytesOrUnlimited(reservation, base + "reservation") && reservation != 0) {
            out.write("memory", "memory.low", maxOf(reservation), base + "reservation");
        }
        if (memory.swappiness() != null) {
            out.refuseOnThisVersion(base + "swappiness", "v2 has no per-cgroup swappiness; leave it out");
        }
        if (Boolean.TRUE.equals(memory.disableOOMKiller())) {
            out.refuseOnThisVersion(base + "disableOOMKiller", "v2 cannot turn the OOM killer off for a cgroup; leave it out or set it to false");
        }
        if (memory.kernelTCP() != null && memory.kernelTCP() != 0) {
            out.warn(base + "kernelTCP", "ignored: cgroup v2 counts TCP buffers in memory.max and has no separate limit");
        }
    }

    /**
     * The spec's swap is memory+swap (v1's memsw); v2's memory.swap.max is swap alone, so it is swap − limit, as runc
     * converts it: -1 is "max"; an unlimited memory with swap unset makes swap unlimited too; a swap equal to the limit
     * is "0" (no swap). The swap is already known to be at least the limit.
     */
    private static void swapMax(long limit, long swap, String pointer, ResourceTranslation out) {
        if (limit == -1 && swap == 0) {
            out.write("memory", "memory.swap.max", "max", ROOT + "/memory/limit");
        } else if (swap == -1) {
            out.write("memory", "memory.swap.max", "max", pointer);
        } else if (swap > 0) {
            out.write("memory", "memory.swap.max", Long.toString(swap - limit), pointer);
        }
    }

    private static String maxOf(long bytes) {
        return bytes == -1 ? "max" : Long.toString(bytes);
    }

    @Override
    public void blockIo(Resources.BlockIo io, ResourceTranslation out) {
        String base = ROOT + "/blockIO/";
        if (io.weight() != null && out.blkioWeightValid(io.weight(), base + "weight") && io.weight() != 0) {
            out.write("io", "io.weight", "default " + ioWeight(io.weight()), base + "weight");
        }
        if (io.leafWeight() != null) {
            out.warn(base + "leafWeight", "ignored: cgroup v2 has no leaf weights");
        }
        for (int i = 0; i < io.weightDevice().size(); i++) {
            Resources.WeightDevice device = io.weightDevice().get(i);
            String pointer = base + "weightDevice/" + i;
            if (out.deviceValid(device.major(), device.minor(), pointer) && device.weight() != null
                    && out.blkioWeightValid(device.weight(), pointer + "/weight")) {
                out.write("io", "io.weight", device.major() + ":" + device.minor() + " " + ioWeight(device.weight()), pointer);
            }
            if (device.leafWeight() != null) {
                out.warn(pointer + "/leafWeight", "ignored: cgroup v2 has no leaf weights");
            }
        }
        ioMax(io, base, out);
    }

    /** io.max: one line per device with every limit it has, keys in the spec's order; a rate of 0 is "max" (no limit), as on v1. */
    private static void ioMax(Resources.BlockIo io, String base, ResourceTranslation out) {
        Map<String, StringBuilder> lines = new LinkedHashMap<>();
        Map<String, String> pointers = new LinkedHashMap<>();
        throttle(io.throttleReadBpsDevice(), "rbps", base + "throttleReadBpsDevice/", lines, pointers, out);
        throttle(io.throttleWriteBpsDevice(), "wbps", base + "throttleWriteBpsDevice/", lines, pointers, out);
        throttle(io.throttleReadIOPSDevice(), "riops", base + "throttleReadIOPSDevice/", lines, pointers, out);
        throttle(io.throttleWriteIOPSDevice(), "wiops", base + "throttleWriteIOPSDevice/", lines, pointers, out);
        lines.forEach((device, line) -> out.write("io", "io.max", device + line, pointers.get(device)));
    }

    private static void throttle(List<Resources.ThrottleDevice> devices, String key, String base,
            Map<String, StringBuilder> lines, Map<String, String> pointers, ResourceTranslation out) {
        for (int i = 0; i < devices.size(); i++) {
            Resources.ThrottleDevice device = devices.get(i);
            if (out.rateValid(device, base + i)) {
                String name = device.major() + ":" + device.minor();
                pointers.putIfAbsent(name, base + i);
                lines.computeIfAbsent(name, _ -> new StringBuilder())
                        .append(' ').append(key).append('=').append(device.rate() == 0 ? "max" : Long.toString(device.rate()));
            }
        }
    }

    @Override
    public void network(Resources.Network network, ResourceTranslation out) {
        if ((network.classID() != null || !network.priorities().isEmpty())) {
            out.refuseOnThisVersion(ROOT + "/network", "v2 has no net_cls or net_prio controller (match packets by cgroup path in nftables instead)");
        }
    }

    /** unified: each key is a file of the cgroup, written as given and last, so that it overrides the settings above. */
    @Override
    public void unified(Map<String, String> unified, ResourceTranslation out) {
        for (Map.Entry<String, String> entry : unified.entrySet()) {
            String key = entry.getKey();
            String pointer = ROOT + "/unified/" + key.replace("~", "~0").replace("/", "~1");
            int dot = key.indexOf('.');
            if (key.contains("/") || key.contains("\0") || key.contains("..") || dot <= 0 || dot == key.length() - 1) {
                out.refuse(pointer, "\"" + key + "\" is not the name of a file in a cgroup directory, such as memory.high");
            } else if (PROCESS_FILES.contains(key)) {
                out.refuse(pointer, key + " moves or kills processes rather than limiting them; jrun places the container's"
                        + " processes itself, so leave it out");
            } else if (entry.getValue() == null) {
                out.refuse(pointer, "has no value");
            } else {
                out.write(key.substring(0, dot), key, entry.getValue(), pointer);
            }
        }
    }

    private static boolean nonZero(Long value) {
        return value != null && value != 0;
    }
}
