package dev.jrun.spec.model;

import java.util.List;
import java.util.Map;

/** linux.resources: cgroup limits (config-linux.md "Control groups"). */
public record Resources(
        List<DeviceRule> devices,
        Memory memory,
        Cpu cpu,
        BlockIo blockIO,
        List<HugepageLimit> hugepageLimits,
        Network network,
        Pids pids,
        Map<String, Rdma> rdma,
        Map<String, String> unified) {

    public Resources {
        devices = Immutables.list(devices);
        hugepageLimits = Immutables.list(hugepageLimits);
        rdma = Immutables.map(rdma);
        unified = Immutables.map(unified);
    }

    public record DeviceRule(boolean allow, String type, Long major, Long minor, String access) {}

    public record Memory(
            Long limit,
            Long reservation,
            Long swap,
            Long kernel,
            Long kernelTCP,
            Long swappiness,
            Boolean disableOOMKiller,
            Boolean useHierarchy,
            Boolean checkBeforeUpdate) {}

    public record Cpu(
            Long shares,
            Long quota,
            Long burst,
            Long period,
            Long realtimeRuntime,
            Long realtimePeriod,
            String cpus,
            String mems,
            Long idle) {}

    public record BlockIo(
            Integer weight,
            Integer leafWeight,
            List<WeightDevice> weightDevice,
            List<ThrottleDevice> throttleReadBpsDevice,
            List<ThrottleDevice> throttleWriteBpsDevice,
            List<ThrottleDevice> throttleReadIOPSDevice,
            List<ThrottleDevice> throttleWriteIOPSDevice) {
        public BlockIo {
            weightDevice = Immutables.list(weightDevice);
            throttleReadBpsDevice = Immutables.list(throttleReadBpsDevice);
            throttleWriteBpsDevice = Immutables.list(throttleWriteBpsDevice);
            throttleReadIOPSDevice = Immutables.list(throttleReadIOPSDevice);
            throttleWriteIOPSDevice = Immutables.list(throttleWriteIOPSDevice);
        }
    }

    public record WeightDevice(long major, long minor, Integer weight, Integer leafWeight) {}

    public record ThrottleDevice(long major, long minor, long rate) {}

    public record HugepageLimit(String pageSize, long limit) {}

    public record Network(Long classID, List<Priority> priorities) {
        public Network {
            priorities = Immutables.list(priorities);
        }
    }

    public record Priority(String name, long priority) {}

    public record Pids(Long limit) {}

    public record Rdma(Long hcaHandles, Long hcaObjects) {}
}
