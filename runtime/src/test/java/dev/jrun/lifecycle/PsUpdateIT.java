package dev.jrun.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** ps and update on real containers (root required): the pids of the container's cgroups, and limits written into them. */
class PsUpdateIT extends CgroupVerbsFixture {
    private static final Duration LONG = Duration.ofSeconds(20);
    /** sh, and two sleeps: three processes for as long as the test needs. */
    private static final String THREE = "sleep 1000 & sleep 1000 & wait";
    private static final String LIMITS = Bundles.DEFAULT_LINUX
            + "  resources: {memory: {limit: 268435456, swap: 536870912}, pids: {limit: 100}}\n";

    @Test
    void psListsTheContainersHostPidsInEveryStatus() throws Exception {
        Path spec = Bundles.spec(bundle, "psc", THREE, "");
        assertEquals(0, jrun.run("create", spec.toString()).code());
        long init = jrun.run("state", "psc").json().get("pid").asLong();
        assertEquals(Set.of(init), pids("psc"), "created: the init alone");

        assertEquals(0, jrun.run("start", "psc").code());
        await().atMost(LONG).until(() -> pids("psc").size() == 3);
        assertTrue(pids("psc").contains(init));

        JrunProcess.Result table = jrun.run("ps", "psc");
        assertEquals(0, table.code(), table.err());
        List<String> lines = table.out().lines().toList();
        assertTrue(lines.getFirst().contains("PID"), table.out());
        assertEquals(pids("psc"), pidColumn(lines, 1), table.out());

        JrunProcess.Result chosen = jrun.run("ps", "psc", "-o", "pid,comm");
        assertEquals(0, chosen.code(), chosen.err());
        List<String> rows = chosen.out().lines().toList();
        assertEquals(List.of("PID", "COMMAND"), List.of(rows.getFirst().strip().split("\\s+")));
        assertEquals(pids("psc"), pidColumn(rows, 0));
        assertEquals(2, rows.stream().filter(r -> r.strip().endsWith("sleep")).count(), chosen.out());

        JrunProcess.Result noPid = jrun.run("ps", "psc", "-o", "comm");
        assertEquals(1, noPid.code());
        assertTrue(noPid.err().contains("no PID column"), noPid.err());

        assertEquals(0, jrun.run("kill", "psc", "KILL").code());
        await().atMost(LONG).until(() -> jrun.status("psc").equals("stopped"));
        JrunProcess.Result stopped = jrun.run("ps", "--format", "json", "psc");
        assertEquals("[]", stopped.out().strip(), stopped.err());
        assertEquals(1, jrun.run("ps", "psc").out().lines().count(), "the header alone");

        JrunProcess.Result missing = jrun.run("ps", "--format", "json", "nosuch");
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("container \"nosuch\" does not exist"), missing.err());
    }

    @Test
    void updateWritesTheLimitsAndAStoppedContainerIsRefused() throws Exception {
        start("upd", THREE, LIMITS);
        JrunProcess.Result update = jrun.run("update", "--memory", "128m", "--memory-swap", "256m", "--pids-limit", "20",
                "--cpu-share", "512", "--cpu-period", "100000", "--cpu-quota", "50000", "upd");
        assertEquals(0, update.code(), update.err());
        assertEquals("134217728", cgroupFile("upd", "memory", "memory.limit_in_bytes"));
        assertEquals("20", cgroupFile("upd", "pids", "pids.max"));
        assertEquals("512", cgroupFile("upd", "cpu", "cpu.shares"));
        assertEquals("100000", cgroupFile("upd", "cpu", "cpu.cfs_period_us"));
        assertEquals("50000", cgroupFile("upd", "cpu", "cpu.cfs_quota_us"));

        Path resources = Files.writeString(files.resolve("r.json"), """
                {"pids": {"limit": 30}, "cpu": {"shares": 300},
                 "devices": [{"allow": true, "access": "rwm"}]}
                """);
        JrunProcess.Result fromFile = jrun.run("update", "-r", resources.toString(), "--cpu-share", "400", "upd");
        assertEquals(0, fromFile.code(), fromFile.err());
        assertEquals("30", cgroupFile("upd", "pids", "pids.max"));
        assertEquals("400", cgroupFile("upd", "cpu", "cpu.shares"), "a flag overrides the file");
        assertTrue(fromFile.err().contains("/devices: not applied"), fromFile.err());

        JrunProcess.Result fromStdin = jrun.runWithInput(Files.writeString(files.resolve("in.json"), "{\"pids\": {\"limit\": 40}}"),
                "update", "--resources", "-", "upd");
        assertEquals(0, fromStdin.code(), fromStdin.err());
        assertEquals("40", cgroupFile("upd", "pids", "pids.max"));

        assertEquals(0, jrun.run("kill", "upd", "KILL").code());
        await().atMost(LONG).until(() -> jrun.status("upd").equals("stopped"));
        JrunProcess.Result stopped = jrun.run("update", "--pids-limit", "50", "upd");
        assertEquals(1, stopped.code());
        assertTrue(stopped.err().contains("cannot update container \"upd\": it is stopped; update needs it created, running or paused"), stopped.err());
        assertEquals("40", cgroupFile("upd", "pids", "pids.max"));
    }

    /** ash gives up when it cannot fork: the container stops, and the cgroup counts the refusal. */
    @Test
    void aLoweredPidsLimitStopsTheNextFork() throws Exception {
        start("forks", "sleep 1000 & while :; do sleep 0.1; done", LIMITS);
        await().atMost(LONG).until(() -> pids("forks").size() >= 2);
        assertEquals("max 0", cgroupFile("forks", "pids", "pids.events"));
        JrunProcess.Result update = jrun.run("update", "--pids-limit", "2", "forks");
        assertEquals(0, update.code(), update.err());
        await().atMost(LONG).until(() -> jrun.status("forks").equals("stopped"));
        assertTrue(!cgroupFile("forks", "pids", "pids.events").equals("max 0"), "a fork was refused");
    }

    /** v1 keeps memory.limit_in_bytes ≤ memory.memsw.limit_in_bytes at every write: raising and lowering need opposite orders. */
    @Test
    void memoryAndSwapAreRaisedAndLoweredOnV1() throws Exception {
        start("mem", THREE, LIMITS);
        Path memory = cgroupDirectory("mem", "memory");
        assumeTrue(memory != null && Files.exists(memory.resolve("memory.memsw.limit_in_bytes")), "no v1 swap accounting here");

        JrunProcess.Result raise = jrun.run("update", "--memory", "1g", "--memory-swap", "2g", "mem");
        assertEquals(0, raise.code(), raise.err());
        assertEquals("1073741824", cgroupFile("mem", "memory", "memory.limit_in_bytes"));
        assertEquals("2147483648", cgroupFile("mem", "memory", "memory.memsw.limit_in_bytes"));

        JrunProcess.Result lower = jrun.run("update", "--memory", "64m", "--memory-swap", "96m", "mem");
        assertEquals(0, lower.code(), lower.err());
        assertEquals("67108864", cgroupFile("mem", "memory", "memory.limit_in_bytes"));
        assertEquals("100663296", cgroupFile("mem", "memory", "memory.memsw.limit_in_bytes"));

        JrunProcess.Result swapOnly = jrun.run("update", "--memory-swap", "512m", "mem");
        assertEquals(0, swapOnly.code(), swapOnly.err());
        assertEquals("67108864", cgroupFile("mem", "memory", "memory.limit_in_bytes"), "the present limit stays");
        assertEquals("536870912", cgroupFile("mem", "memory", "memory.memsw.limit_in_bytes"));

        // written in create's order: cpu, memory, pids
        JrunProcess.Result refused = jrun.run("update", "--pids-limit", "60", "--cpu-share", "700", "--memory", "1g", "mem");
        assertEquals(1, refused.code());
        assertTrue(refused.err().contains("writing \"1073741824\" to " + memory.resolve("memory.limit_in_bytes")
                + " (from --memory) failed: EINVAL"), refused.err());
        assertEquals("700", cgroupFile("mem", "cpu", "cpu.shares"), "the writes before the refused one stay applied");
        assertEquals("100", cgroupFile("mem", "pids", "pids.max"), "the ones after it are not made");
        assertEquals("67108864", cgroupFile("mem", "memory", "memory.limit_in_bytes"));

        JrunProcess.Result unlimited = jrun.run("update", "--memory", "-1", "mem");
        assertEquals(0, unlimited.code(), unlimited.err());
        assertEquals(cgroupFile("mem", "memory", "memory.limit_in_bytes"), cgroupFile("mem", "memory", "memory.memsw.limit_in_bytes"),
                "-1 lifts both limits");
    }

    @Test
    void badResourcesAreRefusedWithNothingChanged() throws Exception {
        start("bad", THREE, LIMITS);
        Path malformed = Files.writeString(files.resolve("bad.json"), "{\"pids\": {\"limit\": 5},\n \"memory\": {\"limit\": }}\n");
        JrunProcess.Result syntax = jrun.run("update", "-r", malformed.toString(), "bad");
        assertEquals(1, syntax.code());
        assertTrue(syntax.err().contains(malformed + ":2:22: malformed JSON"), syntax.err());

        Path wrongType = Files.writeString(files.resolve("type.json"), "{\"memory\": {\"limit\": \"512m\"}}");
        JrunProcess.Result type = jrun.run("update", "-r", wrongType.toString(), "bad");
        assertEquals(1, type.code());
        assertTrue(type.err().contains(wrongType + ":1:22: /memory/limit: expected an integer"), type.err());

        Path outOfRange = Files.writeString(files.resolve("range.json"), "{\"pids\": {\"limit\": 5}, \"cpu\": {\"shares\": 1}}");
        JrunProcess.Result range = jrun.run("update", "-r", outOfRange.toString(), "bad");
        assertEquals(1, range.code());
        assertTrue(range.err().contains("nothing was changed") && range.err().contains(outOfRange + ": /cpu/shares: 1 is outside"),
                range.err());
        assertEquals("100", cgroupFile("bad", "pids", "pids.max"), "nothing written");

        JrunProcess.Result size = jrun.run("update", "--memory", "12q", "bad");
        assertEquals(2, size.code(), "a bad flag value is a command-line error");
        assertTrue(size.err().contains("'12q' is not a size"), size.err());
    }

    private Set<Long> pids(String id) throws IOException, InterruptedException {
        JrunProcess.Result ps = jrun.run("ps", "--format", "json", id);
        assertEquals(0, ps.code(), ps.err());
        Set<Long> pids = new TreeSet<>();
        ps.json().forEach(p -> pids.add(p.asLong()));
        return pids;
    }

    private static Set<Long> pidColumn(List<String> lines, int column) {
        Set<Long> pids = new TreeSet<>();
        lines.subList(1, lines.size()).forEach(l -> pids.add(Long.parseLong(l.strip().split("\\s+")[column])));
        return pids;
    }

    /** The container's cgroup in the hierarchy holding controller, as its state records it, or null. */
    private Path cgroupDirectory(String id, String controller) throws IOException {
        JsonNode state = new ObjectMapper().readTree(stateRoot.resolve(id).resolve("state.json").toFile());
        for (JsonNode directory : state.get("cgroups").get("directories")) {
            if (List.of(directory.get("hierarchy").asText().split(",")).contains(controller)) {
                return Path.of(directory.get("path").asText());
            }
        }
        return null;
    }

    private String cgroupFile(String id, String controller, String file) throws IOException {
        Path directory = cgroupDirectory(id, controller);
        assumeTrue(directory != null, "no cgroup v1 " + controller + " hierarchy here");
        return Files.readString(directory.resolve(file)).strip();
    }
}
