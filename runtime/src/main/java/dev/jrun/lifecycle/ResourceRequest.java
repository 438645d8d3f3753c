package dev.jrun.lifecycle;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.jrun.error.JrunException;
import dev.jrun.spec.model.Resources;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What `update` asks: a linux.resources document (the file or stdin of --resources) with the flags laid over it, and
 * for every setting where it came from, so that a refusal names the flag or the place in the file. Pure.
 *
 * @param resources the settings to write; devices left out (update does not change them, as runc does not)
 * @param sources   JSON pointer as a spec would have it ("/linux/resources/memory/limit") → how the user wrote it
 *                  ("--memory", or "FILE: /memory/limit")
 * @param warnings  what was given and is not applied
 */
public record ResourceRequest(Resources resources, Map<String, String> sources, List<String> warnings) {
    private static final String ROOT = "/linux/resources";
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    public ResourceRequest {
        sources = Map.copyOf(sources);
        warnings = List.copyOf(warnings);
    }

    /** runc's update flags; null: not given. Memory values are bytes (the CLI reads runc's "512m" forms). */
    public record Flags(Integer blkioWeight, Long cpuPeriod, Long cpuQuota, Long cpuBurst, Long cpuShares, Long cpuRtPeriod,
            Long cpuRtRuntime, String cpusetCpus, String cpusetMems, Long cpuIdle, Long memory, Long memoryReservation,
            Long memorySwap, Integer pidsLimit) {
        public static Flags none() {
            return new Flags(null, null, null, null, null, null, null, null, null, null, null, null, null, null);
        }
    }

    /**
     * Reads a linux.resources document. Unknown keys are ignored (as the spec asks of runtimes); a document that is
     * not JSON, or a value of the wrong type, is refused naming line:column and the pointer.
     */
    public static Resources parse(String text, String name) throws JrunException.InvalidInput {
        if (text.isBlank()) {
            throw new JrunException.InvalidInput(name + " is empty; it should hold a linux.resources object such as"
                    + " {\"memory\": {\"limit\": 536870912}}");
        }
        try {
            Resources resources = JSON.readValue(text, Resources.class);
            if (resources == null) {
                throw new JrunException.InvalidInput(name + " holds null; it should hold a linux.resources object");
            }
            return resources;
        } catch (JsonMappingException e) {
            if (e.getCause() instanceof JsonProcessingException syntax) {
                throw new JrunException.InvalidInput(name + at(syntax.getLocation()) + ": malformed JSON: " + firstLine(syntax));
            }
            String pointer = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : Integer.toString(r.getIndex()))
                    .map(s -> "/" + s).collect(Collectors.joining());
            throw new JrunException.InvalidInput(name + at(e.getLocation()) + ": " + (pointer.isEmpty() ? "" : pointer + ": ")
                    + (e instanceof MismatchedInputException m && m.getTargetType() != null ? "expected " + kind(m.getTargetType())
                    : firstLine(e)) + " (the document is the spec's linux.resources object)");
        } catch (JsonProcessingException e) {
            throw new JrunException.InvalidInput(name + at(e.getLocation()) + ": malformed JSON: " + firstLine(e));
        }
    }

    /** The request of a --resources document (null: none given) and the flags; a bad document is refused as {@link #parse} says. */
    public static ResourceRequest read(String document, String name, Flags flags) throws JrunException.InvalidInput {
        return of(document == null ? null : parse(document, name), name, flags);
    }

    /**
     * The file's settings (null: none given) with the flags over them. As runc: devices are dropped, 0 for
     * --blkio-weight, --pids-limit and a file's pids.limit leave the setting as it is, and a memory limit of -1
     * without a swap limit lifts the swap limit too.
     */
    public static ResourceRequest of(Resources file, String fileName, Flags flags) {
        Resources base = file != null ? file : new Resources(null, null, null, null, null, null, null, null, null);
        Map<String, String> sources = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        if (!base.devices().isEmpty()) {
            warnings.add(fileName + ": /devices: not applied: update leaves the device rules as create set them (as runc does)");
        }
        Resources.Cpu cpu = base.cpu() != null ? base.cpu() : new Resources.Cpu(null, null, null, null, null, null, null, null, null);
        cpu = new Resources.Cpu(
                given(flags.cpuShares(), cpu.shares(), "/cpu/shares", "--cpu-share", sources),
                given(flags.cpuQuota(), cpu.quota(), "/cpu/quota", "--cpu-quota", sources),
                given(flags.cpuBurst(), cpu.burst(), "/cpu/burst", "--cpu-burst", sources),
                given(flags.cpuPeriod(), cpu.period(), "/cpu/period", "--cpu-period", sources),
                given(flags.cpuRtRuntime(), cpu.realtimeRuntime(), "/cpu/realtimeRuntime", "--cpu-rt-runtime", sources),
                given(flags.cpuRtPeriod(), cpu.realtimePeriod(), "/cpu/realtimePeriod", "--cpu-rt-period", sources),
                given(flags.cpusetCpus(), cpu.cpus(), "/cpu/cpus", "--cpuset-cpus", sources),
                given(flags.cpusetMems(), cpu.mems(), "/cpu/mems", "--cpuset-mems", sources),
                given(flags.cpuIdle(), cpu.idle(), "/cpu/idle", "--cpu-idle", sources));
        Resources.Memory memory = base.memory() != null ? base.memory()
                : new Resources.Memory(null, null, null, null, null, null, null, null, null);
        Long limit = given(flags.memory(), memory.limit(), "/memory/limit", "--memory", sources);
        Long swap = given(flags.memorySwap(), memory.swap(), "/memory/swap", "--memory-swap", sources);
        if (limit != null && limit == -1 && swap == null) {
            swap = -1L;
            sources.put(ROOT + "/memory/swap", sources.get(ROOT + "/memory/limit") + " (-1 lifts the swap limit too)");
        }
        memory = new Resources.Memory(limit, given(flags.memoryReservation(), memory.reservation(), "/memory/reservation",
                "--memory-reservation", sources), swap, memory.kernel(), memory.kernelTCP(), memory.swappiness(),
                memory.disableOOMKiller(), memory.useHierarchy(), memory.checkBeforeUpdate());
        Resources.BlockIo io = base.blockIO();
        if (flags.blkioWeight() != null && flags.blkioWeight() != 0) {
            io = io != null ? new Resources.BlockIo(flags.blkioWeight(), io.leafWeight(), io.weightDevice(), io.throttleReadBpsDevice(),
                    io.throttleWriteBpsDevice(), io.throttleReadIOPSDevice(), io.throttleWriteIOPSDevice())
                    : new Resources.BlockIo(flags.blkioWeight(), null, null, null, null, null, null);
            sources.put(ROOT + "/blockIO/weight", "--blkio-weight");
        }
        Long pids = base.pids() == null || base.pids().limit() == null || base.pids().limit() == 0 ? null : base.pids().limit();
        if (flags.pidsLimit() != null && flags.pidsLimit() != 0) {
            pids = (long) flags.pidsLimit();
            sources.put(ROOT + "/pids/limit", "--pids-limit");
        }
        Resources merged = new Resources(null, memory, cpu, io, base.hugepageLimits(), base.network(),
                pids == null ? null : new Resources.Pids(pids), base.rdma(), base.unified());
        return new ResourceRequest(merged, sources, warnings);
    }

    /** How the user wrote the setting at pointer (a spec pointer, as the translation names settings). */
    public String sourceOf(String pointer, String fileName) {
        String named = sources.get(pointer);
        if (named != null) {
            return named;
        }
        return pointer.startsWith(ROOT) ? fileName + ": " + pointer.substring(ROOT.length()) : pointer;
    }

    private static <T> T given(T flag, T fromFile, String pointer, String option, Map<String, String> sources) {
        if (flag == null || (flag instanceof String text && text.isEmpty())) {
            return fromFile;
        }
        sources.put(ROOT + pointer, option);
        return flag;
    }

    private static String at(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? "" : ":" + location.getLineNr() + ":" + Math.max(1, location.getColumnNr());
    }

    /** The first line of Jackson's message, without its "(start marker at [Source: …])" aside. */
    private static String firstLine(JsonProcessingException e) {
        String message = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        String line = message.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse(message);
        int aside = line.indexOf(" (start marker at");
        return aside > 0 ? line.substring(0, aside) : line;
    }

    private static String kind(Class<?> type) {
        if (type == Long.class || type == Integer.class || type == long.class || type == int.class) {
            return "an integer";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "an object";
    }
}
