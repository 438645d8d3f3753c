package dev.jrun.cgroup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.error.JrunException;
import dev.jrun.spec.model.Resources;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** linux.resources → cgroup v2 files: the exact writes, their order, the conversions and the refusals. */
class V2ResourceWritesTest {
    static final long MIB = 1024 * 1024;
    static final List<Resources.DeviceRule> DENY_ALL = List.of(new Resources.DeviceRule(false, null, null, null, "rwm"));

    /** What podman passes for `--memory 512m --pids-limit 2048 --cpu-shares 1024 --cpus 0.5` (swap twice the memory). */
    static Resources podman() {
        return new Resources(DENY_ALL,
                memory(512 * MIB, null, 1024 * MIB),
                new Resources.Cpu(1024L, 50_000L, null, 100_000L, null, null, null, null, null),
                null, List.of(), null, new Resources.Pids(2048L), Map.of(), Map.of());
    }

    static Resources.Memory memory(Long limit, Long reservation, Long swap) {
        return new Resources.Memory(limit, reservation, swap, null, null, null, null, null, null);
    }

    static Resources only(Resources.Memory memory) {
        return new Resources(List.of(), memory, null, null, List.of(), null, null, Map.of(), Map.of());
    }

    static Resources only(Resources.Cpu cpu) {
        return new Resources(List.of(), null, cpu, null, List.of(), null, null, Map.of(), Map.of());
    }

    static Resources only(Resources.BlockIo io) {
        return new Resources(List.of(), null, null, io, List.of(), null, null, Map.of(), Map.of());
    }

    static Resources.Cpu cpu(Long shares, Long quota, Long burst, Long period) {
        return new Resources.Cpu(shares, quota, burst, period, null, null, null, null, null);
    }

    static List<String> lines(ResourceWrites writes) {
        return writes.writes().stream().map(ControllerWrite::toString).toList();
    }

    static String refusal(JrunException.InvalidSpec e) {
        return e.getMessage();
    }

    @Test
    void podmansTypicalLimitsBecomeTheseWritesInThisOrderAndTheDeviceRulesAProgram() throws Exception {
        ResourceWrites writes = ResourceWrites.forV2(podman());

        assertEquals(List.of("cpu.weight=100", "cpu.max=50000 100000", "memory.swap.max=536870912", "memory.max=536870912",
                "pids.max=2048"), lines(writes));
        assertEquals(List.of(), writes.warnings());
        assertTrue(writes.devices().isPresent());
        ControllerWrite max = writes.writes().get(1);
        assertEquals("cpu", max.controller());
        assertEquals("/linux/resources/cpu/quota", max.source());
        assertArrayEquals("50000 100000".getBytes(StandardCharsets.US_ASCII), max.bytes(), "no newline, nothing else");
    }

    @Test
    void theControllersNeededAreNamedInTheOrderOfTheirFirstWrite() throws Exception {
        assertEquals(List.of("cpu", "memory", "pids"), List.copyOf(ResourceWrites.forV2(podman()).controllers()));
        Resources r = new Resources(List.of(), null, null, null, List.of(), null, null, Map.of(),
                Map.of("cgroup.freeze", "0"));
        assertEquals(List.of(), List.copyOf(ResourceWrites.forV2(r).controllers()), "v2's core files need no controller");
    }

    @Test
    void noResourcesMeanNoWrites() throws Exception {
        assertEquals(List.of(), ResourceWrites.forV2(null).writes());
        assertEquals(List.of(), ResourceWrites.forV2(new Resources(DENY_ALL, null, null, null, null, null, null, null, null)).writes());
    }

    @Test
    void cpuSharesFollowRuncsAndCrunsCurveWithTheDefaultsMatched() {
        assertEquals(1, V2ResourceWrites.cpuWeight(2));
        assertEquals(100, V2ResourceWrites.cpuWeight(1024), "v1's default 1024 is v2's default 100");
        assertEquals(59, V2ResourceWrites.cpuWeight(512));
        assertEquals(174, V2ResourceWrites.cpuWeight(2048));
        assertEquals(10_000, V2ResourceWrites.cpuWeight(262_144));
    }

    @Test
    void quotaAndPeriodMakeCpuMaxWithMaxForNoQuotaAndTheBurstAfterIt() throws Exception {
        assertEquals(List.of("cpu.max=max 100000"), lines(ResourceWrites.forV2(only(cpu(null, -1L, null, 100_000L)))));
        assertEquals(List.of("cpu.max=25000"), lines(ResourceWrites.forV2(only(cpu(null, 25_000L, null, null)))));
        assertEquals(List.of("cpu.max=50000 100000", "cpu.max.burst=20000"),
                lines(ResourceWrites.forV2(only(cpu(null, 50_000L, 20_000L, 100_000L)))));
    }

    @Test
    void cpusMemsAndIdleGoToTheirFilesWithTheCpusetFirst() throws Exception {
        Resources.Cpu cpu = new Resources.Cpu(512L, null, null, null, null, null, "0-3,6", "0", 1L);

        assertEquals(List.of("cpuset.cpus=0-3,6", "cpuset.mems=0", "cpu.weight=59", "cpu.idle=1"), lines(ResourceWrites.forV2(only(cpu))));
    }

    @Test
    void swapIsMemoryPlusSwapSoV2GetsTheDifference() throws Exception {
        assertEquals(List.of("memory.swap.max=0", "memory.max=536870912"),
                lines(ResourceWrites.forV2(only(memory(512 * MIB, null, 512 * MIB)))), "swap equal to the limit: no swap");
        assertEquals(List.of("memory.swap.max=max", "memory.max=max"),
                lines(ResourceWrites.forV2(only(memory(-1L, null, null)))), "unlimited memory, swap unset: both unlimited, as runc");
        assertEquals(List.of("memory.swap.max=max", "memory.max=536870912", "memory.low=268435456"),
                lines(ResourceWrites.forV2(only(memory(512 * MIB, 256 * MIB, -1L)))));
    }

    @Test
    void aSwapBelowTheLimitOrWithoutOneIsRefusedWithItsPointer() {
        JrunException.InvalidSpec below = assertThrows(JrunException.InvalidSpec.class,
                () -> ResourceWrites.forV2(only(memory(512 * MIB, null, 256 * MIB))));
        assertEquals("the spec is invalid:\nerror: /linux/resources/memory/swap: 268435456 is below the memory limit of 536870912:"
                + " swap is memory+swap and must be at least the limit", refusal(below));
        assertEquals(3, below.exitCode());

        JrunException.InvalidSpec alone = assertThrows(JrunException.InvalidSpec.class,
                () -> ResourceWrites.forV2(only(memory(null, null, 256 * MIB))));
        assertTrue(refusal(alone).contains("/linux/resources/memory/swap: a swap limit of 268435456 needs a memory limit"), refusal(alone));
    }

    @Test
    void whatV2CannotDoIsRefusedAndWhatRuncIgnoresIsAWarning() throws Exception {
        Resources.Memory v1Only = new Resources.Memory(512 * MIB, null, null, 64 * MIB, 16 * MIB, 60L, true, null, null);
        JrunException.InvalidSpec e = assertThrows(JrunException.InvalidSpec.class, () -> ResourceWrites.forV2(only(v1Only)));
        assertEquals("""
                the spec is invalid:
                error: /linux/resources/memory/swappiness: not supported on cgroup v2: v2 has no per-cgroup swappiness; leave it out
                error: /linux/resources/memory/disableOOMKiller: not supported on cgroup v2: v2 cannot turn the OOM killer off \
                for a cgroup; leave it out or set it to false""", refusal(e));

        Resources.Memory deprecated = new Resources.Memory(512 * MIB, null, null, 64 * MIB, 16 * MIB, null, false, null, null);
        ResourceWrites writes = ResourceWrites.forV2(only(deprecated));
        assertEquals(List.of("memory.max=536870912"), lines(writes));
        assertEquals(List.of(
                "/linux/resources/memory/kernel: ignored: kernel memory limits are deprecated and no longer enforced by Linux",
                "/linux/resources/memory/kernelTCP: ignored: cgroup v2 counts TCP buffers in memory.max and has no separate limit"),
                writes.warnings());
    }

    @Test
    void realtimeCpuIsRefused() {
        Resources.Cpu rt = new Resources.Cpu(null, null, null, null, 950_000L, 1_000_000L, null, null, null);
        JrunException.InvalidSpec e = assertThrows(JrunException.InvalidSpec.class, () -> ResourceWrites.forV2(only(rt)));
        assertTrue(refusal(e).contains("/linux/resources/cpu/realtimeRuntime: not supported on cgroup v2"), refusal(e));
    }

    @Test
    void valuesOutOfRangeAreAllRefusedAtOnce() {
        Resources.Cpu bad = new Resources.Cpu(1L, 500L, null, 2_000_000L, null, null, "3-1", "x", 2L);
        JrunException.InvalidSpec e = assertThrows(JrunException.InvalidSpec.class, () -> ResourceWrites.forV2(only(bad)));
        assertEquals("""
                the spec is invalid:
                error: /linux/resources/cpu/cpus: "3-1" has a range whose end is below its start
                error: /linux/resources/cpu/mems: "x" is not a list of memory nodes such as "0-3,6"
                error: /linux/resources/cpu/shares: 1 is outside the kernel's range of cpu shares, 2 to 262144
                error: /linux/resources/cpu/quota: 500 µs is below the kernel's minimum quota of 1000 µs (1 ms); use -1 for no limit
                error: /linux/resources/cpu/period: 2000000 µs is outside the kernel's range of 1000 to 1000000 µs
                error: /linux/resources/cpu/idle: 2 is neither 0 nor 1""", refusal(e));
    }

    @Test
    void aBurstAboveTheQuotaIsRefused() {
        JrunException.InvalidSpec e = assertThrows(JrunException.InvalidSpec.class,
                () -> ResourceWrites.forV2(only(cpu(null, 50_000L, 60_000L, 100_000L))));
        assertTrue(refusal(e).contains("/linux/resources/cpu/burst: 60000 µs is more than the quota of 50000 µs"), refusal(e));
    }

    @Test
    void pidsLimitOfZeroOrLessIsMax() throws Exception {
        Resources none = new Resources(List.of(), null, null, null, List.of(), null, new Resources.Pids(-1L), Map.of(), Map.of());
        assertEquals(List.of("pids.max=max"), lines(ResourceWrites.forV2(none)));
        Resources zero = new Resources(List.of(), null, null, null, List.of(), null, new Resources.Pids(0L), Map.of(), Map.of());
        assertEquals(List.of("pids.max=max"), lines(ResourceWrites.forV2(zero)));
    }

    @Test
    void blockIoBecomesIoWeightAndOneIoMaxLinePerDevice() throws Exception {
        Resources.BlockIo io = new Resources.BlockIo(500, 300,
                List.of(new Resources.WeightDevice(8, 0, 1000, null)),
                List.of(new Resources.ThrottleDevice(8, 0, 1_048_576)),
                List.of(new Resources.ThrottleDevice(8, 0, 524_288), new Resources.ThrottleDevice(8, 16, 0)),
                List.of(new Resources.ThrottleDevice(8, 16, 100)),
                List.of());

        ResourceWrites writes = ResourceWrites.forV2(only(io));

        assertEquals(List.of("io.weight=default 4950", "io.weight=8:0 10000",
                "io.max=8:0 rbps=1048576 wbps=524288", "io.max=8:16 wbps=max riops=100"), lines(writes));
        assertEquals(List.of("/linux/resources/blockIO/leafWeight: ignored: cgroup v2 has no leaf weights"), writes.warnings());
        assertEquals(1, V2ResourceWrites.ioWeight(10));
        assertEquals(910, V2ResourceWrites.ioWeight(100), "linear, as runc's and crun's: 1 + (w - 10) * 9999 / 990");
        assertEquals(10_000, V2ResourceWrites.ioWeight(1000));
    }

    @Test
    void aBlkioWeightOutsideTenToAThousandIsRefused() {
        Resources.BlockIo io = new Resources.BlockIo(5, null, List.of(), List.of(), List.of(), List.of(), List.of());
        JrunException.InvalidSpec e = assertThrows(JrunException.InvalidSpec.class, () -> ResourceWrites.forV2(only(io)));
        assertTrue(refusal(e).contains("/linux/resources/blockIO/weight: 5 is outside the blkio weight range of 10 to 1000"), refusal(e));
    }

    @Test
    void hugepagesAndRdmaUseTheirV2Files() throws Exception {
        Resources r = new Resources(List.of(), null, null, null,
                List.of(new Resources.HugepageLimit("2MB", 64 * MIB), new Resources.HugepageLimit("1GB", 0)),
                null, null, Map.of("mlx5_0", new Resources.Rdma(4L, 1000L)), Map.of());

        assertEquals(List.of("hugetlb.2MB.max=67108864", "hugetlb.1GB.max=0", "rdma.max=mlx5_0 hca_handle=4 hca_object=1000"),
                lines(ResourceWrites.forV2(r)));
    }

    @Test
    void aHugePageSizeHugetlbDoesNotNameIsRefused() {
        Resources r = new Resources(List.of(), null, null, null, List.of(new Resources.HugepageLimit("2M", 1)),
                null, null, Map.of(), Map.of());
        JrunException.InvalidSpec e = assertThrows(JrunException.InvalidSpec.class, () -> ResourceWrites.forV2(r));
        assertTrue(refusal(e).contains("/linux/resources/hugepageLimits/0/pageSize: \"2M\" is not a huge page size"), refusal(e));
    }

    @Test
    void unifiedKeysAreWrittenAsGivenAndLastSoTheyOverride() throws Exception {
        Map<String, String> unified = new LinkedHashMap<>();
        unified.put("memory.high", "400000000");
        unified.put("memory.max", "max");
        Resources r = new Resources(List.of(), memory(512 * MIB, null, null), null, null, List.of(), null, null, Map.of(), unified);

        ResourceWrites writes = ResourceWrites.forV2(r);

        assertEquals(List.of("memory.max=536870912", "memory.high=400000000", "memory.max=max"), lines(writes));
        assertEquals("memory", writes.writes().get(1).controller());
        assertEquals("/linux/resources/unified/memory.high", writes.writes().get(1).source());
    }

    @Test
    void aUnifiedKeyThatIsNotAPlainFileNameIsRefused() {
        for (String key : List.of("../cgroup.procs", "memory/max", "..", "nodot", ".hidden", "memory.")) {
            Resources r = new Resources(List.of(), null, null, null, List.of(), null, null, Map.of(), Map.of(key, "1"));
            JrunException.InvalidSpec e = assertThrows(JrunException.InvalidSpec.class, () -> ResourceWrites.forV2(r), key);
            assertTrue(refusal(e).contains("is not the name of a file in a cgroup directory"), refusal(e));
        }
    }

    @Test
    void unifiedCannotMoveOrKillProcesses() {
        for (String key : List.of("cgroup.procs", "cgroup.threads", "cgroup.kill")) {
            Resources r = new Resources(List.of(), null, null, null, List.of(), null, null, Map.of(), Map.of(key, "1"));
            JrunException.InvalidSpec e = assertThrows(JrunException.InvalidSpec.class, () -> ResourceWrites.forV2(r), key);
            assertEquals("the spec is invalid:\nerror: /linux/resources/unified/" + key + ": " + key + " moves or kills processes"
                    + " rather than limiting them; jrun places the container's processes itself, so leave it out", e.getMessage());
        }
    }

    @Test
    void networkClassesAreRefusedForV2HasNoSuchController() {
        Resources r = new Resources(List.of(), null, null, null, List.of(), new Resources.Network(0x100001L, List.of()),
                null, Map.of(), Map.of());
        JrunException.InvalidSpec e = assertThrows(JrunException.InvalidSpec.class, () -> ResourceWrites.forV2(r));
        assertTrue(refusal(e).contains("/linux/resources/network: not supported on cgroup v2"), refusal(e));
    }
}
