package dev.jrun.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** runc's stats shape from v1 and v2 files (written here into plain directories), and fields left out where files lack. */
class CgroupStatsTest {
    @TempDir
    Path dir;

    private Path files(String name, String... pairs) throws Exception {
        Path directory = Files.createDirectories(dir.resolve(name));
        for (int i = 0; i < pairs.length; i += 2) {
            Files.writeString(directory.resolve(pairs[i]), pairs[i + 1]);
        }
        return directory;
    }

    private static JsonNode json(String text) throws Exception {
        return new ObjectMapper().readTree(text);
    }

    @Test
    void v1FilesGiveRuncsFieldsAndZerosAreLeftOutAsGosOmitempty() throws Exception {
        Path cpu = files("cpu", "cpuacct.usage", "3000\n", "cpuacct.usage_percpu", "1000 2000 \n", "cpuacct.stat", "user 2\nsystem 1\n",
                "cpu.stat", "nr_periods 10\nnr_throttled 0\nthrottled_time 0\n");
        Path memory = files("memory", "memory.usage_in_bytes", "4096\n", "memory.limit_in_bytes", "8192\n", "memory.failcnt", "0\n",
                "memory.max_usage_in_bytes", "5000\n", "memory.stat", "cache 100\nrss 200\n", "memory.oom_control",
                "oom_kill_disable 0\nunder_oom 0\noom_kill 3\n");
        Path pids = files("pids", "pids.current", "3\n", "pids.max", "max\n");
        Path blkio = files("blkio", "blkio.throttle.io_service_bytes_recursive", "8:0 Read 512\n8:0 Write 0\nTotal 512\n");
        Path hugetlb = files("hugetlb", "hugetlb.2MB.usage_in_bytes", "0\n", "hugetlb.2MB.failcnt", "1\n");
        CgroupStats stats = CgroupStats.of(Map.of("cpu,cpuacct", cpu, "memory", memory, "pids", pids, "blkio", blkio,
                "hugetlb", hugetlb, "name=systemd", files("systemd")));

        assertEquals(json("""
                {"cpu": {"usage": {"total": 3000, "percpu": [1000, 2000], "kernel": 10000000, "user": 20000000},
                         "throttling": {"periods": 10}},
                 "memory": {"cache": 100, "usage": {"limit": 8192, "usage": 4096, "max": 5000, "failcnt": 0},
                            "raw": {"cache": 100, "rss": 200}},
                 "pids": {"current": 3},
                 "blkio": {"ioServiceBytesRecursive": [{"major": 8, "op": "Read", "value": 512}, {"major": 8, "op": "Write"}]},
                 "hugetlb": {"2MB": {"failcnt": 1}}}"""), json(stats.read().toString()));
        assertEquals(OptionalLong.of(3), stats.oomKills());
    }

    @Test
    void v2FilesGiveTheSameFieldsInNanosecondsAndBytes() throws Exception {
        Path unified = files("unified", "cpu.stat", "usage_usec 5\nuser_usec 3\nsystem_usec 2\nnr_periods 4\nnr_throttled 1\nthrottled_usec 7\n",
                "memory.current", "1000\n", "memory.max", "max\n", "memory.events", "low 0\nhigh 0\nmax 2\noom 1\noom_kill 1\n",
                "memory.swap.current", "10\n", "memory.swap.max", "2000\n", "memory.stat", "anon 600\nfile 400\n",
                "pids.current", "2\n", "pids.max", "64\n", "io.stat", "259:0 rbytes=100 wbytes=200 rios=1 wios=2 dbytes=0 dios=0\n",
                "hugetlb.1GB.current", "0\n", "hugetlb.1GB.events", "max 0\n");
        CgroupStats stats = CgroupStats.of(Map.of("unified", unified));

        assertEquals(json("""
                {"cpu": {"usage": {"total": 5000, "kernel": 2000, "user": 3000},
                         "throttling": {"periods": 4, "throttledPeriods": 1, "throttledTime": 7000}},
                 "memory": {"cache": 400, "usage": {"limit": 18446744073709551615, "usage": 1000, "failcnt": 2},
                            "swap": {"limit": 2000, "usage": 1010, "failcnt": 0}, "raw": {"anon": 600, "file": 400}},
                 "pids": {"current": 2, "limit": 64},
                 "blkio": {"ioServiceBytesRecursive": [{"major": 259, "op": "Read", "value": 100}, {"major": 259, "op": "Write", "value": 200}],
                           "ioServicedRecursive": [{"major": 259, "op": "Read", "value": 1}, {"major": 259, "op": "Write", "value": 2}]},
                 "hugetlb": {"1GB": {"failcnt": 0}}}"""), json(stats.read().toString()));
        assertEquals(OptionalLong.of(1), stats.oomKills());
    }

    @Test
    void aHostWithoutTheFilesGivesEmptyGroups() throws Exception {
        CgroupStats stats = CgroupStats.of(Map.of("unified", files("bare")));
        assertEquals(json("{\"cpu\": {\"usage\": {}, \"throttling\": {}}, \"memory\": {}, \"pids\": {}, \"blkio\": {}, \"hugetlb\": {}}"),
                json(stats.read().toString()));
        assertFalse(stats.oomKills().isPresent());
    }
}
