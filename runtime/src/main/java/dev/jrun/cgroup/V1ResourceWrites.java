package dev.jrun.cgroup;

import static dev.jrun.cgroup.ResourceTranslation.ROOT;

import dev.jrun.spec.model.Linux;
import dev.jrun.spec.model.Resources;
import java.util.List;
import java.util.Map;

/**
 * linux.resources as writes into cgroup v1 hierarchies, one directory per controller (docs/cgroups.md has the
 * table). The spec's terms are v1's, so values go in as they are; only their order and their ranges need care.
 */
final class V1ResourceWrites implements ResourceTranslation.Steps {
    static final V1ResourceWrites STEPS = new V1ResourceWrites();

    private V1ResourceWrites() {}

    @Override
    public void unified(Map<String, String> unified, ResourceTranslation out) {
        if (!unified.isEmpty()) {
            out.refuseOnThisVersion(ROOT + "/unified", "its keys are cgroup v2 files; this host's container cgroups are v1");
        }
    }

    @Override
    public void devices(List<Resources.DeviceRule> rules, List<Linux.Device> devices, ResourceTranslation out) {
        DeviceRules.v1(rules, devices, out);
    }

    @Override
    public void cpu(Resources.Cpu cpu, ResourceTranslation out) {
        String base = ROOT + "/cpu/";
        realtime(cpu, base, out);
        Long shares = out.shares(cpu);
        if (shares != null) {
            out.write("cpu", "cpu.shares", Long.toString(shares), base + "shares");
        }
        if (out.cpuBandwidthValid(cpu)) {
            // a new cgroup's quota is -1 (none), so the period can change first; the burst may not exceed the quota, so it comes last
            if (cpu.period() != null && cpu.period() != 0) {
                out.write("cpu", "cpu.cfs_period_us", Long.toString(cpu.period()), base + "period");
            }
            if (cpu.quota() != null && cpu.quota() != 0) {
                out.write("cpu", "cpu.cfs_quota_us", cpu.quota() > 0 ? Long.toString(cpu.quota()) : "-1", base + "quota");
            }
            if (cpu.burst() != null) {
                out.write("cpu", "cpu.cfs_burst_us", Long.toString(cpu.burst()), base + "burst");
            }
        }
    }

    /**
     * cpu.rt_period_us, then cpu.rt_runtime_us: the runtime must fit in the period, and both must be set before a
     * real-time process joins (runc sets them before it moves the process in).
     */
    private static void realtime(Resources.Cpu cpu, String base, ResourceTranslation out) {
        Long period = cpu.realtimePeriod();
        Long runtime = cpu.realtimeRuntime();
        if (period != null && period < 0) {
            out.refuse(base + "realtimePeriod", period + " is negative; a period is a number of µs");
            return;
        }
        if (runtime != null && runtime < -1) {
            out.refuse(base + "realtimeRuntime", runtime + " is negative; use -1 for no limit");
            return;
        }
        if (runtime != null && period != null && period != 0 && runtime > period) {
            out.refuse(base + "realtimeRuntime", runtime + " µs is longer than the period of " + period + " µs");
            return;
        }
        if (period != null && period != 0) {
            out.write("cpu", "cpu.rt_period_us", Long.toString(period), base + "realtimePeriod");
        }
        if (runtime != null && runtime != 0) {
            out.write("cpu", "cpu.rt_runtime_us", Long.toString(runtime), base + "realtimeRuntime");
        }
    }

    @Override
    public void memory(Resources.Memory memory, ResourceTranslation out) {
        String base = ROOT + "/memory/";
        ResourceTranslation.MemoryLimits limits = out.memoryLimits(memory);
        // a new cgroup has neither limit, and memsw may never be below the memory limit: the memory limit goes first
        if (limits.limitValid() && limits.limit() != 0) {
            out.write("memory", "memory.limit_in_bytes", Long.toString(limits.limit()), base + "limit");
        }
        if (limits.swapValid() && limits.swap() != 0) {
            out.write("memory", "memory.memsw.limit_in_bytes", Long.toString(limits.swap()), base + "swap");
        }
        long reservation = memory.reservation() == null ? 0 : memory.reservation();
        if (out.bytesOrUnlimited(reservation, base + "reservation") && reservation != 0) {
            out.write("memory", "memory.soft_limit_in_bytes", Long.toString(reservation), base + "reservation");
        }
        if (memory.kernelTCP() != null && memory.kernelTCP() != 0
                && out.bytesOrUnlimited(memory.kernelTCP(), base + "kernelTCP")) {
            out.write("memory", "memory.kmem.tcp.limit_in_bytes", Long.toString(memory.kernelTCP()), base + "kernelTCP");
        }
        if (memory.swappiness() != null) {
            if (memory.swappiness() < 0 || memory.swappiness() > 100) {
                out.refuse(base + "swappiness", memory.swappiness() + " is outside the range of swappiness, 0 to 100");
            } else {
                out.write("memory", "memory.swappiness", Long.toString(memory.swappiness()), base + "swappiness");
            }
        }
        if (Boolean.TRUE.equals(memory.disableOOMKiller())) {
            out.write("memory", "memory.oom_control", "1", base + "disableOOMKiller");
        }
    }

    @Override
    public void blockIo(Resources.BlockIo io, ResourceTranslation out) {
        String base = ROOT + "/blockIO/";
        if (io.weight() != null && out.blkioWeightValid(io.weight(), base + "weight")) {
            out.write("blkio", "blkio.weight", Integer.toString(io.weight()), base + "weight");
        }
        if (io.leafWeight() != null && out.blkioWeightValid(io.leafWeight(), base + "leafWeight")) {
            out.write("blkio", "blkio.leaf_weight", Integer.toString(io.leafWeight()), base + "leafWeight");
        }
        for (int i = 0; i < io.weightDevice().size(); i++) {
            Resources.WeightDevice device = io.weightDevice().get(i);
            String pointer = base + "weightDevice/" + i;
            if (!out.deviceValid(device.major(), device.minor(), pointer)) {
                continue;
            }
            String name = device.major() + ":" + device.minor();
            if (device.weight() != null && out.blkioWeightValid(device.weight(), pointer + "/weight")) {
                out.write("blkio", "blkio.weight_device", name + " " + device.weight(), pointer + "/weight");
            }
            if (device.leafWeight() != null && out.blkioWeightValid(device.leafWeight(), pointer + "/leafWeight")) {
                out.write("blkio", "blkio.leaf_weight_device", name + " " + device.leafWeight(), pointer + "/leafWeight");
            }
        }
        throttle(io.throttleReadBpsDevice(), "blkio.throttle.read_bps_device", base + "throttleReadBpsDevice/", out);
        throttle(io.throttleWriteBpsDevice(), "blkio.throttle.write_bps_device", base + "throttleWriteBpsDevice/", out);
        throttle(io.throttleReadIOPSDevice(), "blkio.throttle.read_iops_device", base + "throttleReadIOPSDevice/", out);
        throttle(io.throttleWriteIOPSDevice(), "blkio.throttle.write_iops_device", base + "throttleWriteIOPSDevice/", out);
    }

    /** One write per device: the file takes one "major:minor rate" line at a time, and a rate of 0 removes the limit. */
    private static void throttle(List<Resources.ThrottleDevice> devices, String file, String base, ResourceTranslation out) {
        for (int i = 0; i < devices.size(); i++) {
            Resources.ThrottleDevice device = devices.get(i);
            if (out.rateValid(device, base + i)) {
                out.write("blkio", file, device.major() + ":" + device.minor() + " " + device.rate(), base + i);
            }
        }
    }

    @Override
    public void network(Resources.Network network, ResourceTranslation out) {
        String base = ROOT + "/network/";
        if (network.classID() != null) {
            if (network.classID() < 0 || network.classID() > 0xFFFF_FFFFL) {
                out.refuse(base + "classID", network.classID() + " is not a 32-bit class id");
            } else {
                out.write("net_cls", "net_cls.classid", Long.toString(network.classID()), base + "classID");
            }
        }
        for (int i = 0; i < network.priorities().size(); i++) {
            Resources.Priority priority = network.priorities().get(i);
            String pointer = base + "priorities/" + i;
            if (priority.name() == null || priority.name().isEmpty() || priority.name().chars().anyMatch(c -> c <= ' ' || c == '/')) {
                out.refuse(pointer + "/name", "\"" + priority.name() + "\" is not a network interface name");
            } else if (priority.priority() < 0 || priority.priority() > 0xFFFF_FFFFL) {
                out.refuse(pointer + "/priority", priority.priority() + " is not a 32-bit priority");
            } else {
                out.write("net_prio", "net_prio.ifpriomap", priority.name() + " " + priority.priority(), pointer);
            }
        }
    }
}
