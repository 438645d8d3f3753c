package dev.jrun.cgroup;

import static dev.jrun.cgroup.V2ResourceWritesTest.MIB;
import static dev.jrun.cgroup.V2ResourceWritesTest.lines;
import static dev.jrun.cgroup.V2ResourceWritesTest.memory;
import static dev.jrun.cgroup.V2ResourceWritesTest.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.error.JrunException;
import dev.jrun.spec.model.Resources;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** linux.resources → cgroup v1 files: the spec's own terms, in the order the kernel needs them. */
class V1ResourceWritesTest {
    @Test
    void podmansTypicalLimitsBecomeTheseWritesWithTheMemoryLimitBeforeMemsw() throws Exception {
        ResourceWrites writes = ResourceWrites.forV1(V2ResourceWritesTest.podman());

        assertEquals(List.of("cpu.shares=1024", "cpu.cfs_period_us=100000", "cpu.cfs_quota_us=50000",
                "memory.limit_in_bytes=536870912", "memory.memsw.limit_in_bytes=1073741824", "pids.max=2048", "devices.deny=a"),
                lines(writes).subList(0, 7));
        assertEquals(List.of("cpu", "cpu", "cpu", "memory", "memory", "pids", "devices"),
                writes.writes().stream().map(ControllerWrite::controller).toList().subList(0, 7));
        assertEquals(List.of(), writes.warnings());
        assertEquals(List.of("cpu", "memory", "pids", "devices"), List.copyOf(writes.controllers()));
    }

    @Test
    void everyCpuSettingHasItsFileWithTheCpusetFirstAndRealtimePeriodBeforeRuntime() throws Exception {
        Resources.Cpu cpu = new Resources.Cpu(512L, -1L, 10_000L, 50_000L, 950_000L, 1_000_000L, "0-1", "0", 0L);

        assertEquals(List.of("cpuset.cpus=0-1", "cpuset.mems=0", "cpu.rt_period_us=1000000", "cpu.rt_runtime_us=950000",
                "cpu.shares=512", "cpu.cfs_period_us=50000", "cpu.cfs_quota_us=-1", "cpu.cfs_burst_us=10000", "cpu.idle=0"),
                lines(ResourceWrites.forV1(only(cpu))));
    }

    @Test
    void sharesTheKernelWouldClampAreRefused() {
        JrunException.InvalidSpec e = assertThrows(JrunException.InvalidSpec.class,
                () -> ResourceWrites.forV1(only(V2ResourceWritesTest.cpu(300_000L, null, null, null))));
        assertTrue(e.getMessage().contains("/linux/resources/cpu/shares: 300000 is outside the kernel's range of cpu shares, 2 to 262144"),
                e.getMessage());
    }

    @Test
    void aRealtimeRuntimeLongerThanItsPeriodIsRefused() {
        Resources.Cpu cpu = new Resources.Cpu(null, null, null, null, 2_000_000L, 1_000_000L, null, null, null);
        JrunException.InvalidSpec e = assertThrows(JrunException.InvalidSpec.class, () -> ResourceWrites.forV1(only(cpu)));
        assertTrue(e.getMessage().contains("/linux/resources/cpu/realtimeRuntime: 2000000 µs is longer than the period of 1000000 µs"),
                e.getMessage());
    }

    @Test
    void memorySettingsV2LacksAreWrittenAndKernelMemoryIsAWarning() throws Exception {
        Resources.Memory memory = new Resources.Memory(512 * MIB, 256 * MIB, -1L, 64 * MIB, 16 * MIB, 10L, true, true, null);

        ResourceWrites writes = ResourceWrites.forV1(only(memory));

        assertEquals(List.of("memory.limit_in_bytes=536870912", "memory.memsw.limit_in_bytes=-1", "memory.soft_limit_in_bytes=268435456",
                "memory.kmem.tcp.limit_in_bytes=16777216", "memory.swappiness=10", "memory.oom_control=1"), lines(writes));
        assertEquals(List.of(
                "/linux/resources/memory/kernel: ignored: kernel memory limits are deprecated and no longer enforced by Linux",
                "/linux/resources/memory/useHierarchy: ignored: the memory controller is always hierarchical on current kernels"),
                writes.warnings());
    }

    @Test
    void swappinessAboveAHundredAndSwapBelowTheLimitAreRefusedTogether() {
        Resources.Memory memory = new Resources.Memory(512 * MIB, null, 256 * MIB, null, null, 101L, null, null, null);
        JrunException.InvalidSpec e = assertThrows(JrunException.InvalidSpec.class, () -> ResourceWrites.forV1(only(memory)));
        assertEquals("""
                the spec is invalid:
                error: /linux/resources/memory/swap: 268435456 is below the memory limit of 536870912: swap is memory+swap and must be at least the limit
                error: /linux/resources/memory/swappiness: 101 is outside the range of swappiness, 0 to 100""", e.getMessage());
    }

    @Test
    void anUnlimitedMemoryLeavesSwapAlone() throws Exception {
        assertEquals(List.of("memory.limit_in_bytes=-1"), lines(ResourceWrites.forV1(only(memory(-1L, null, null)))));
    }

    @Test
    void blkioTakesTheSpecsWeightsAsTheyAreAndOneThrottleLinePerWrite() throws Exception {
        Resources.BlockIo io = new Resources.BlockIo(500, 300,
                List.of(new Resources.WeightDevice(8, 0, 700, 200)),
                List.of(new Resources.ThrottleDevice(8, 0, 1_048_576)),
                List.of(new Resources.ThrottleDevice(8, 0, 524_288)),
                List.of(new Resources.ThrottleDevice(8, 16, 100)),
                List.of(new Resources.ThrottleDevice(8, 16, 50)));

        assertEquals(List.of("blkio.weight=500", "blkio.leaf_weight=300", "blkio.weight_device=8:0 700", "blkio.leaf_weight_device=8:0 200",
                "blkio.throttle.read_bps_device=8:0 1048576", "blkio.throttle.write_bps_device=8:0 524288",
                "blkio.throttle.read_iops_device=8:16 100", "blkio.throttle.write_iops_device=8:16 50"),
                lines(ResourceWrites.forV1(only(io))));
    }

    @Test
    void hugepagesNetworkAndRdmaUseTheirV1Files() throws Exception {
        Resources r = new Resources(List.of(), null, null, null, List.of(new Resources.HugepageLimit("2MB", 64 * MIB)),
                new Resources.Network(0x100001L, List.of(new Resources.Priority("eth0", 5))), null,
                Map.of("mlx5_0", new Resources.Rdma(null, 1000L)), Map.of());

        assertEquals(List.of("hugetlb.2MB.limit_in_bytes=67108864", "rdma.max=mlx5_0 hca_object=1000", "net_cls.classid=1048577",
                "net_prio.ifpriomap=eth0 5"), lines(ResourceWrites.forV1(r)));
    }

    @Test
    void unifiedIsRefusedOnV1() {
        Resources r = new Resources(List.of(), null, null, null, List.of(), null, null, Map.of(), Map.of("memory.high", "1"));
        JrunException.InvalidSpec e = assertThrows(JrunException.InvalidSpec.class, () -> ResourceWrites.forV1(r));
        assertEquals("the spec is invalid:\nerror: /linux/resources/unified: not supported on cgroup v1: its keys are cgroup v2 files;"
                + " this host's container cgroups are v1", e.getMessage());
    }
}
