package dev.jrun.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** update's v1 memory order: memsw may never be below the memory limit, so which goes first depends on the present limit. */
class CgroupUpdateTest {
    private static final long MIB = 1024 * 1024;
    private static final ControllerWrite PIDS = new ControllerWrite("pids", "pids.max", "20", "--pids-limit");

    private static List<ControllerWrite> limitThenSwap(long limit, long swap) {
        return List.of(new ControllerWrite("memory", CgroupUpdate.LIMIT, Long.toString(limit), "--memory"),
                new ControllerWrite("memory", CgroupUpdate.MEMSW, Long.toString(swap), "--memory-swap"), PIDS);
    }

    private static List<String> files(List<ControllerWrite> writes) {
        return writes.stream().map(ControllerWrite::file).toList();
    }

    @Test
    void raisingAboveThePresentLimitWritesTheSwapLimitFirst() {
        assertEquals(List.of(CgroupUpdate.MEMSW, CgroupUpdate.LIMIT, "pids.max"),
                files(CgroupUpdate.memoryOrder(limitThenSwap(1024 * MIB, 2048 * MIB), 256 * MIB)));
    }

    @Test
    void loweringWritesTheMemoryLimitFirst() {
        assertEquals(List.of(CgroupUpdate.LIMIT, CgroupUpdate.MEMSW, "pids.max"),
                files(CgroupUpdate.memoryOrder(limitThenSwap(64 * MIB, 96 * MIB), 1024 * MIB)));
        assertEquals(List.of(CgroupUpdate.LIMIT, CgroupUpdate.MEMSW, "pids.max"),
                files(CgroupUpdate.memoryOrder(limitThenSwap(64 * MIB, 256 * MIB), 256 * MIB)), "swap equal to the present limit");
    }

    @Test
    void noSwapLimitGoesFirstWhateverThePresentLimitAndUnlimitedIsReadUnsigned() {
        assertEquals(List.of(CgroupUpdate.MEMSW, CgroupUpdate.LIMIT, "pids.max"),
                files(CgroupUpdate.memoryOrder(limitThenSwap(-1, -1), 64 * MIB)));
        // v1's "no limit", 9223372036854771712, as a present limit: nothing is above it, the limit goes first
        assertEquals(List.of(CgroupUpdate.LIMIT, CgroupUpdate.MEMSW, "pids.max"),
                files(CgroupUpdate.memoryOrder(limitThenSwap(64 * MIB, 128 * MIB), Long.parseUnsignedLong("9223372036854771712"))));
    }

    @Test
    void withOnlyOneOfTheTwoTheOrderStays() {
        List<ControllerWrite> limitOnly = List.of(limitThenSwap(64 * MIB, 96 * MIB).getFirst(), PIDS);
        assertEquals(limitOnly, CgroupUpdate.memoryOrder(limitOnly, 1024 * MIB));
    }

    @Test
    void theVersionIsCreatesChoiceV1WhenAnyHierarchyHasAV1Controller() {
        assertTrue(new CgroupUpdate(Map.of("cpu,cpuacct", Path.of("/c"), "unified", Path.of("/u"))).v1());
        assertFalse(new CgroupUpdate(Map.of("name=systemd", Path.of("/s"), "unified", Path.of("/u"))).v1());
        assertFalse(new CgroupUpdate(Map.of("unified", Path.of("/u"))).v1());
    }
}
