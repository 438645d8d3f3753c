package dev.jrun.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * linux.resources on the real kernel: the values reach the controller files of the container's cgroup before its
 * process runs, the container reads them in its own /sys/fs/cgroup, and the kernel enforces them. On this kind of host
 * (v1 controllers, hybrid or not) the limits go to the v1 hierarchies; a pure v2 host skips these tests.
 */
class CgroupLimitsIT extends CgroupContainerTest {
    private static Path controller(String name) {
        var mount = HostCgroups.v1(name);
        assumeTrue(mount.isPresent(), "no v1 " + name + " hierarchy here");
        return mount.get();
    }

    @Test
    void eachLimitIsInItsFileWhileTheContainerIsCreated() throws Exception {
        Path memory = controller("memory");
        Path cpu = controller("cpu");
        Path cpuset = controller("cpuset");
        Path pids = controller("pids");
        boolean memsw = Files.exists(memory.resolve("memory.memsw.limit_in_bytes"));
        String id = freshId();
        cgroups.removeAfter("/jrun/" + id);
        create(spec(id, "true", """
                resources:
                  memory: {limit: 67108864, reservation: 33554432%s}
                  pids: {limit: 32}
                  cpu: {shares: 512, quota: 50000, period: 100000, cpus: '0', mems: '0'}
                """.formatted(memsw ? ", swap: 100663296" : ""), false));

        Path dir = Path.of("jrun", id);
        Map<Path, String> expected = new java.util.LinkedHashMap<>(Map.of(
                memory.resolve(dir).resolve("memory.limit_in_bytes"), "67108864",
                memory.resolve(dir).resolve("memory.soft_limit_in_bytes"), "33554432",
                pids.resolve(dir).resolve("pids.max"), "32",
                cpu.resolve(dir).resolve("cpu.shares"), "512",
                cpu.resolve(dir).resolve("cpu.cfs_quota_us"), "50000",
                cpu.resolve(dir).resolve("cpu.cfs_period_us"), "100000",
                cpuset.resolve(dir).resolve("cpuset.cpus"), "0",
                cpuset.resolve(dir).resolve("cpuset.mems"), "0"));
        if (memsw) {
            // Swap accounting (swapaccount=1) gives v1 this file; without it the spec's swap has nowhere to go.
            expected.put(memory.resolve(dir).resolve("memory.memsw.limit_in_bytes"), "100663296");
        }
        for (var entry : expected.entrySet()) {
            assertEquals(entry.getValue(), HostCgroups.read(entry.getKey()), entry.getKey().toString());
        }
    }

    @Test
    void theContainerReadsItsLimitsInItsOwnCgroupfs() throws Exception {
        controller("memory");
        controller("pids");
        JrunProcess.Result run = runInDefaultCgroup(
                "cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max /sys/fs/cgroup/cpu/cpu.shares",
                "resources: {memory: {limit: 50331648}, pids: {limit: 40}, cpu: {shares: 256}}\n", true);
        assertEquals(0, run.code(), run.err());
        assertEquals("50331648\n40\n256\n", run.out());
    }

    @Test
    void thePidsLimitIsEnforcedForkFailsWithEagainBeyondIt() throws Exception {
        controller("pids");
        // Bounded: at most 20 attempts, and busybox sh exits at the first fork that fails; its pid namespace ends the
        // sleeps with it.
        JrunProcess.Result run = runInDefaultCgroup(
                "n=0; while [ $n -lt 20 ]; do sleep 1000 & n=$((n + 1)); echo forked $n; done",
                "resources: {pids: {limit: 8}}\n", false);

        assertTrue(run.err().contains("can't fork: Resource temporarily unavailable"), "EAGAIN: " + run.err());
        assertEquals(2, run.code(), "busybox sh exits 2 when it cannot fork: " + run.err());
        List<String> forked = run.out().lines().toList();
        assertEquals(7, forked.size(), "the shell and 7 sleeps make the 8 tasks the limit allows: " + run.out());
    }

    @Test
    void aMemoryLimitHoldsInsideTheContainer() throws Exception {
        controller("memory");
        // dd's buffer is one block, all of it touched: 4 MiB fit under a 16 MiB limit, 32 MiB do not (the OOM killer
        // ends dd: 137). The host has no swap to page out to.
        JrunProcess.Result run = runInDefaultCgroup(
                "dd if=/dev/zero of=/dev/null bs=4M count=1 2>/dev/null; echo small $?; "
                        + "dd if=/dev/zero of=/dev/null bs=32M count=1 2>/dev/null; echo big $?; "
                        + "read f < /sys/fs/cgroup/memory/memory.failcnt; [ \"$f\" -gt 0 ] && echo limited",
                "resources: {memory: {limit: 16777216}}\n", true);
        assertEquals("small 0\nbig 137\nlimited\n", run.out(), run.err());
    }
}
