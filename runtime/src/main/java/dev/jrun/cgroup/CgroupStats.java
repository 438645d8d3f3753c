package dev.jrun.cgroup;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jrun.sys.ProcFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A container's resource usage read from its cgroups, in the shape of runc's `events` stats (runc's types.Stats: the
 * field names, and its omitempty rule that leaves out a zero). Each controller is read from its v1 hierarchy when the
 * container has one, else from the v2 directory; a file the host lacks leaves its fields out. Read-only: it never
 * writes a cgroup file.
 */
public final class CgroupStats {
    /** runc's "no limit" for a v2 max: Go's math.MaxUint64. */
    private static final BigInteger NO_LIMIT = BigInteger.TWO.pow(64).subtract(BigInteger.ONE);
    /** USER_HZ, in which cpuacct.stat counts: 100 on every Linux ABI. */
    private static final long NANOS_PER_TICK = 10_000_000;
    private static final Pattern V1_HUGETLB = Pattern.compile("hugetlb\\.(\\w+)\\.usage_in_bytes");
    private static final Pattern V2_HUGETLB = Pattern.compile("hugetlb\\.(\\w+)\\.current");

    private final Map<String, Path> v1;
    private final Path unified;

    private CgroupStats(Map<String, Path> v1, Path unified) {
        this.v1 = v1;
        this.unified = unified;
    }

    /** byHierarchy: the container's cgroup by hierarchy name as create recorded it ("memory", "cpu,cpuacct", "unified"). */
    public static CgroupStats of(Map<String, Path> byHierarchy) {
        Map<String, Path> byController = new LinkedHashMap<>();
        byHierarchy.forEach((hierarchy, directory) -> {
            if (!hierarchy.equals("unified")) {
                for (String controller : hierarchy.split(",")) {
                    byController.putIfAbsent(controller, directory);
                }
            }
        });
        return new CgroupStats(byController, byHierarchy.get("unified"));
    }

    /** The stats object (runc's events "data"). */
    public ObjectNode read() {
        ObjectNode stats = JsonNodeFactory.instance.objectNode();
        stats.set("cpu", cpu());
        stats.set("memory", memory());
        stats.set("pids", pids());
        stats.set("blkio", blkio());
        stats.set("hugetlb", hugetlb());
        return stats;
    }

    /** How many processes the kernel's OOM killer has killed in the container (v1 memory.oom_control, v2 memory.events). */
    public OptionalLong oomKills() {
        Optional<Path> file = v1.containsKey("memory") ? v1File("memory", "memory.oom_control") : v2File("memory.events");
        return file.flatMap(f -> keyed(f).map(values -> values.get("oom_kill"))).map(OptionalLong::of).orElse(OptionalLong.empty());
    }

    private ObjectNode cpu() {
        ObjectNode cpu = object();
        ObjectNode usage = cpu.putObject("usage");
        ObjectNode throttling = cpu.putObject("throttling");
        if (v1.containsKey("cpuacct") || v1.containsKey("cpu")) {
            v1File("cpuacct", "cpuacct.usage").flatMap(CgroupStats::number).ifPresent(n -> omitEmpty(usage, "total", n));
            v1File("cpuacct", "cpuacct.usage_percpu").flatMap(CgroupStats::numbers).ifPresent(l -> list(usage, "percpu", l));
            v1File("cpuacct", "cpuacct.usage_percpu_sys").flatMap(CgroupStats::numbers).ifPresent(l -> list(usage, "percpu_kernel", l));
            v1File("cpuacct", "cpuacct.usage_percpu_user").flatMap(CgroupStats::numbers).ifPresent(l -> list(usage, "percpu_user", l));
            Optional<Map<String, Long>> ticks = v1File("cpuacct", "cpuacct.stat").flatMap(CgroupStats::keyed);
            ticks.map(t -> t.get("system")).ifPresent(n -> usage.put("kernel", n * NANOS_PER_TICK));
            ticks.map(t -> t.get("user")).ifPresent(n -> usage.put("user", n * NANOS_PER_TICK));
            v1File("cpu", "cpu.stat").flatMap(CgroupStats::keyed).ifPresent(stat -> {
                omitEmpty(throttling, "periods", stat.get("nr_periods"));
                omitEmpty(throttling, "throttledPeriods", stat.get("nr_throttled"));
                omitEmpty(throttling, "throttledTime", stat.get("throttled_time"));
            });
        } else {
            v2File("cpu.stat").flatMap(CgroupStats::keyed).ifPresent(stat -> {
                omitEmpty(usage, "total", micros(stat.get("usage_usec")));
                if (stat.containsKey("system_usec")) {
                    usage.put("kernel", stat.get("system_usec") * 1000);
                }
                if (stat.containsKey("user_usec")) {
                    usage.put("user", stat.get("user_usec") * 1000);
                }
                omitEmpty(throttling, "periods", stat.get("nr_periods"));
                omitEmpty(throttling, "throttledPeriods", stat.get("nr_throttled"));
                omitEmpty(throttling, "throttledTime", micros(stat.get("throttled_usec")));
            });
        }
        return cpu;
    }

    private ObjectNode memory() {
        ObjectNode memory = object();
        if (v1.containsKey("memory")) {
            Optional<Map<String, Long>> raw = v1File("memory", "memory.stat").flatMap(CgroupStats::keyed);
            raw.map(r -> r.get("cache")).ifPresent(n -> omitEmpty(memory, "cache", n));
            v1Entry(memory, "usage", "memory.");
            v1Entry(memory, "swap", "memory.memsw.");
            v1Entry(memory, "kernel", "memory.kmem.");
            v1Entry(memory, "kernelTCP", "memory.kmem.tcp.");
            raw.ifPresent(r -> rawMap(memory, r));
        } else {
            Optional<Map<String, Long>> raw = v2File("memory.stat").flatMap(CgroupStats::keyed);
            raw.map(r -> r.get("file")).ifPresent(n -> omitEmpty(memory, "cache", n));
            Optional<Long> current = v2File("memory.current").flatMap(CgroupStats::number);
            if (current.isPresent()) {
                ObjectNode usage = memory.putObject("usage");
                limit(usage, v2File("memory.max"));
                omitEmpty(usage, "usage", current.get());
                v2File("memory.peak").flatMap(CgroupStats::number).ifPresent(n -> omitEmpty(usage, "max", n));
                usage.put("failcnt", v2File("memory.events").flatMap(CgroupStats::keyed).map(e -> e.get("max")).orElse(0L));
            }
            Optional<Long> swap = v2File("memory.swap.current").flatMap(CgroupStats::number);
            if (swap.isPresent() && current.isPresent()) {
                // as runc: v1's memsw counts memory and swap together, and v2's swap is reported in those terms
                ObjectNode entry = memory.putObject("swap");
                limit(entry, v2File("memory.swap.max"));
                omitEmpty(entry, "usage", swap.get() + current.get());
                entry.put("failcnt", v2File("memory.swap.events").flatMap(CgroupStats::keyed).map(e -> e.get("max")).orElse(0L));
            }
            raw.ifPresent(r -> rawMap(memory, r));
        }
        return memory;
    }

    /** runc's MemoryEntry from v1's PREFIX{usage_in_bytes, max_usage_in_bytes, failcnt, limit_in_bytes}, if the host has them. */
    private void v1Entry(ObjectNode memory, String name, String prefix) {
        Optional<Long> usage = v1File("memory", prefix + "usage_in_bytes").flatMap(CgroupStats::number);
        if (usage.isEmpty()) {
            return;
        }
        ObjectNode entry = memory.putObject(name);
        entry.put("limit", v1File("memory", prefix + "limit_in_bytes").flatMap(CgroupStats::number).orElse(0L));
        omitEmpty(entry, "usage", usage.get());
        v1File("memory", prefix + "max_usage_in_bytes").flatMap(CgroupStats::number).ifPresent(n -> omitEmpty(entry, "max", n));
        entry.put("failcnt", v1File("memory", prefix + "failcnt").flatMap(CgroupStats::number).orElse(0L));
    }

    private ObjectNode pids() {
        ObjectNode pids = object();
        Optional<Path> current = v1.containsKey("pids") ? v1File("pids", "pids.current") : v2File("pids.current");
        Optional<Path> max = v1.containsKey("pids") ? v1File("pids", "pids.max") : v2File("pids.max");
        current.flatMap(CgroupStats::number).ifPresent(n -> omitEmpty(pids, "current", n));
        max.flatMap(CgroupStats::number).ifPresent(n -> omitEmpty(pids, "limit", n)); // "max" is no number: no limit, left out
        return pids;
    }

    private ObjectNode blkio() {
        ObjectNode blkio = object();
        if (v1.containsKey("blkio")) {
            blkioEntries(blkio, "ioServiceBytesRecursive", "blkio.bfq.io_service_bytes_recursive", "blkio.throttle.io_service_bytes_recursive");
            blkioEntries(blkio, "ioServicedRecursive", "blkio.bfq.io_serviced_recursive", "blkio.throttle.io_serviced_recursive");
        } else {
            v2File("io.stat").flatMap(CgroupStats::text).ifPresent(text -> {
                ArrayNode bytes = JsonNodeFactory.instance.arrayNode();
                ArrayNode ios = JsonNodeFactory.instance.arrayNode();
                for (String line : text.lines().toList()) {
                    String[] fields = line.strip().split("\\s+");
                    String[] device = fields[0].split(":");
                    if (device.length != 2) {
                        continue;
                    }
                    Map<String, Long> values = new LinkedHashMap<>();
                    for (int i = 1; i < fields.length; i++) {
                        String[] pair = fields[i].split("=", 2);
                        if (pair.length == 2 && pair[1].matches("\\d+")) {
                            values.put(pair[0], Long.parseLong(pair[1]));
                        }
                    }
                    entry(bytes, device, "Read", values.get("rbytes"));
                    entry(bytes, device, "Write", values.get("wbytes"));
                    entry(ios, device, "Read", values.get("rios"));
                    entry(ios, device, "Write", values.get("wios"));
                }
                if (!bytes.isEmpty()) {
                    blkio.set("ioServiceBytesRecursive", bytes);
                }
                if (!ios.isEmpty()) {
                    blkio.set("ioServicedRecursive", ios);
                }
            });
        }
        return blkio;
    }

    /** v1's "MAJ:MIN Op VALUE" lines of the first of files that has any ("Total N" lines left out). */
    private void blkioEntries(ObjectNode blkio, String name, String... files) {
        for (String file : files) {
            ArrayNode entries = JsonNodeFactory.instance.arrayNode();
            v1File("blkio", file).flatMap(CgroupStats::text).ifPresent(text -> {
                for (String line : text.lines().toList()) {
                    String[] fields = line.strip().split("\\s+");
                    String[] device = fields[0].split(":");
                    if (fields.length == 3 && device.length == 2 && fields[2].matches("\\d+")) {
                        entry(entries, device, fields[1], Long.parseLong(fields[2]));
                    }
                }
            });
            if (!entries.isEmpty()) {
                blkio.set(name, entries);
                return;
            }
        }
    }

    private static void entry(ArrayNode entries, String[] device, String op, Long value) {
        if (value == null || !device[0].matches("\\d+") || !device[1].matches("\\d+")) {
            return;
        }
        ObjectNode entry = entries.addObject();
        omitEmpty(entry, "major", Long.parseLong(device[0]));
        omitEmpty(entry, "minor", Long.parseLong(device[1]));
        entry.put("op", op);
        omitEmpty(entry, "value", value);
    }

    private ObjectNode hugetlb() {
        ObjectNode hugetlb = object();
        boolean onV1 = v1.containsKey("hugetlb");
        Path directory = onV1 ? v1.get("hugetlb") : unified;
        if (directory == null) {
            return hugetlb;
        }
        Pattern usageFile = onV1 ? V1_HUGETLB : V2_HUGETLB;
        Map<String, ObjectNode> bySize = new TreeMap<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Matcher m = usageFile.matcher(file.getFileName().toString());
                if (!m.matches()) {
                    continue;
                }
                String size = m.group(1);
                ObjectNode entry = object();
                number(file).ifPresent(n -> omitEmpty(entry, "usage", n));
                if (onV1) {
                    number(directory.resolve("hugetlb." + size + ".max_usage_in_bytes")).ifPresent(n -> omitEmpty(entry, "max", n));
                    entry.put("failcnt", number(directory.resolve("hugetlb." + size + ".failcnt")).orElse(0L));
                } else {
                    entry.put("failcnt", keyed(directory.resolve("hugetlb." + size + ".events")).map(e -> e.get("max")).orElse(0L));
                }
                bySize.put(size, entry);
            }
        } catch (IOException | UncheckedIOException e) {
            return hugetlb; // the cgroup is gone (the container was deleted meanwhile)
        }
        bySize.forEach(hugetlb::set);
        return hugetlb;
    }

    private Optional<Path> v1File(String controller, String file) {
        Path directory = v1.get(controller);
        return directory == null ? Optional.empty() : Optional.of(directory.resolve(file)).filter(Files::exists);
    }

    private Optional<Path> v2File(String file) {
        return unified == null ? Optional.empty() : Optional.of(unified.resolve(file)).filter(Files::exists);
    }

    private static Optional<String> text(Path file) {
        try {
            return Optional.of(ProcFiles.read(file));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** A file holding one number; empty when unreadable or not a number ("max"). Unsigned values beyond a long clamp. */
    private static Optional<Long> number(Path file) {
        return text(file).map(String::strip).filter(s -> s.matches("\\d+")).map(CgroupStats::unsigned);
    }

    private static Optional<List<Long>> numbers(Path file) {
        return text(file).map(s -> Stream.of(s.strip().split("\\s+")).filter(n -> n.matches("\\d+")).map(CgroupStats::unsigned).toList());
    }

    /** "key value" lines (memory.stat, cpu.stat, memory.events) as a map, in the file's order. */
    private static Optional<Map<String, Long>> keyed(Path file) {
        return text(file).map(s -> {
            Map<String, Long> values = new LinkedHashMap<>();
            for (String line : s.lines().toList()) {
                String[] pair = line.strip().split("\\s+");
                if (pair.length == 2 && pair[1].matches("\\d+")) {
                    values.put(pair[0], unsigned(pair[1]));
                }
            }
            return values;
        });
    }

    private static long unsigned(String digits) {
        BigInteger value = new BigInteger(digits);
        return value.bitLength() < 64 ? value.longValue() : Long.MAX_VALUE;
    }

    private static void limit(ObjectNode entry, Optional<Path> max) {
        Optional<String> text = max.flatMap(CgroupStats::text).map(String::strip);
        if (text.isPresent() && text.get().equals("max")) {
            entry.put("limit", NO_LIMIT);
        } else {
            entry.put("limit", text.filter(s -> s.matches("\\d+")).map(CgroupStats::unsigned).orElse(0L));
        }
    }

    private static void rawMap(ObjectNode memory, Map<String, Long> raw) {
        ObjectNode node = memory.putObject("raw");
        raw.forEach(node::put);
    }

    private static void list(ObjectNode node, String key, List<Long> values) {
        if (!values.isEmpty()) {
            ArrayNode array = node.putArray(key);
            values.forEach(array::add);
        }
    }

    private static Long micros(Long micros) {
        return micros == null ? null : micros * 1000;
    }

    /** Go's omitempty: a zero (or absent) value is left out. */
    private static void omitEmpty(ObjectNode node, String key, Long value) {
        if (value != null && value != 0) {
            node.put(key, value);
        }
    }

    private static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }
}
