package dev.jrun.cli;

import dev.jrun.call.Invocation;
import dev.jrun.error.JrunException;
import dev.jrun.lifecycle.ResourceRequest;
import dev.jrun.lifecycle.Update;
import dev.jrun.state.StateStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** runc's update: the flags are runc's, and lay over the --resources document where both give a setting. */
@Command(description = "Change the resource limits of a created, running or paused container (linux.resources).")
final class UpdateCommand extends LifecycleCommand {
    /** A linux.resources document is a few hundred bytes; a larger one is the wrong file. */
    private static final int MAX_BYTES = 1 << 20;

    @Mixin
    ExistingContainer container;

    @Option(names = {"-r", "--resources"}, paramLabel = "FILE", description = "A JSON linux.resources object (config-linux.md), or - for stdin; the flags below override its settings.")
    String resources;

    @Option(names = "--blkio-weight", paramLabel = "N", description = "Block IO weight, 10 to 1000 (0: unchanged).")
    Integer blkioWeight;

    @Option(names = "--cpu-period", paramLabel = "US", description = "CFS period in µs.")
    Long cpuPeriod;

    @Option(names = "--cpu-quota", paramLabel = "US", description = "CFS quota in µs per period (-1: none).")
    Long cpuQuota;

    @Option(names = "--cpu-burst", paramLabel = "US", description = "CFS burst in µs.")
    Long cpuBurst;

    @Option(names = "--cpu-share", paramLabel = "N", description = "CPU shares (relative weight).")
    Long cpuShare;

    @Option(names = "--cpu-rt-period", paramLabel = "US", description = "Realtime period in µs (cgroup v1).")
    Long cpuRtPeriod;

    @Option(names = "--cpu-rt-runtime", paramLabel = "US", description = "Realtime runtime in µs per period (cgroup v1).")
    Long cpuRtRuntime;

    @Option(names = "--cpuset-cpus", paramLabel = "LIST", description = "CPUs to use, such as 0-2,4.")
    String cpusetCpus;

    @Option(names = "--cpuset-mems", paramLabel = "LIST", description = "Memory nodes to use.")
    String cpusetMems;

    @Option(names = "--cpu-idle", paramLabel = "0|1", description = "1: SCHED_IDLE for the cgroup.")
    Long cpuIdle;

    @Option(names = "--memory", paramLabel = "SIZE", converter = ByteSize.class, description = "Memory limit: bytes, or 512m, 2g… (-1: none).")
    Long memory;

    @Option(names = "--memory-reservation", paramLabel = "SIZE", converter = ByteSize.class, description = "Memory soft limit.")
    Long memoryReservation;

    @Option(names = "--memory-swap", paramLabel = "SIZE", converter = ByteSize.class, description = "Memory plus swap limit (-1: no swap limit).")
    Long memorySwap;

    @Option(names = "--pids-limit", paramLabel = "N", description = "Most processes at once (-1: none; 0: unchanged).")
    Integer pidsLimit;

    @Option(names = {"--kernel-memory", "--kernel-memory-tcp"}, hidden = true, paramLabel = "SIZE", description = "Ignored, as by runc (obsolete).")
    List<String> kernelMemory;

    @Override
    int execute(StateStore store) throws JrunException {
        String name = resources == null ? "" : resources.equals("-") ? "standard input" : resources;
        ResourceRequest request = ResourceRequest.read(resources == null ? null : read(resources, name), name, new ResourceRequest.Flags(blkioWeight, cpuPeriod, cpuQuota,
                cpuBurst, cpuShare, cpuRtPeriod, cpuRtRuntime, cpusetCpus, cpusetMems, cpuIdle, memory, memoryReservation,
                memorySwap, pidsLimit));
        if (kernelMemory != null && !kernelMemory.isEmpty()) {
            warnings().println("jrun: warning: --kernel-memory and --kernel-memory-tcp are ignored (obsolete, as in runc)");
        }
        for (String warning : new Update(store, processes()).update(container.id(), request, name)) {
            warnings().println("jrun: warning: " + warning);
        }
        warnings().flush();
        return ExitCodes.OK;
    }

    private static String read(String file, String name) throws JrunException {
        try (InputStream in = file.equals("-") ? Invocation.current().in()
                : Files.newInputStream(Invocation.current().resolve(Path.of(file)))) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new JrunException.InvalidInput(name + " holds more than " + MAX_BYTES + " bytes; a linux.resources"
                        + " document is a few hundred: is it the right file?");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new JrunException.InvalidInput("cannot read " + name + ": no such file");
        } catch (IOException e) {
            throw new JrunException.InvalidInput("cannot read " + name + ": " + e.getMessage());
        }
    }
}
