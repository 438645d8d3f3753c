package dev.jrun.spec.model;

import java.util.List;
import java.util.Map;

/** linux: the Linux-specific part of the spec (config-linux.md). */
public record Linux(
        List<Namespace> namespaces,
        List<IdMapping> uidMappings,
        List<IdMapping> gidMappings,
        Map<String, TimeOffset> timeOffsets,
        List<Device> devices,
        Map<String, NetDevice> netDevices,
        String cgroupsPath,
        Resources resources,
        String rootfsPropagation,
        Seccomp seccomp,
        Map<String, String> sysctl,
        List<String> maskedPaths,
        List<String> readonlyPaths,
        String mountLabel,
        Personality personality,
        IntelRdt intelRdt,
        MemoryPolicy memoryPolicy) {

    public Linux {
        namespaces = Immutables.list(namespaces);
        uidMappings = Immutables.list(uidMappings);
        gidMappings = Immutables.list(gidMappings);
        timeOffsets = Immutables.map(timeOffsets);
        devices = Immutables.list(devices);
        netDevices = Immutables.map(netDevices);
        sysctl = Immutables.map(sysctl);
        maskedPaths = Immutables.list(maskedPaths);
        readonlyPaths = Immutables.list(readonlyPaths);
    }

    /** A namespace entry: new when path is null, joined (setns) when path names a namespace file. */
    public record Namespace(String type, String path) {
        public boolean joinsExisting() {
            return path != null && !path.isEmpty();
        }
    }

    public record TimeOffset(Long secs, Long nanosecs) {}

    public record Device(String type, String path, Long major, Long minor, Long fileMode, Long uid, Long gid) {}

    public record NetDevice(String name) {}

    public record Personality(String domain, List<String> flags) {
        public Personality {
            flags = Immutables.list(flags);
        }
    }

    public record IntelRdt(
            String closID,
            String l3CacheSchema,
            String memBwSchema,
            List<String> schemata,
            Boolean enableCMT,
            Boolean enableMBM,
            Boolean enableMonitoring) {
        public IntelRdt {
            schemata = Immutables.list(schemata);
        }
    }

    public record MemoryPolicy(String mode, String nodes, List<String> flags) {
        public MemoryPolicy {
            flags = Immutables.list(flags);
        }
    }

    public record Seccomp(
            String defaultAction,
            Long defaultErrnoRet,
            List<String> architectures,
            List<String> flags,
            String listenerPath,
            String listenerMetadata,
            List<Syscall> syscalls) {
        public Seccomp {
            architectures = Immutables.list(architectures);
            flags = Immutables.list(flags);
            syscalls = Immutables.list(syscalls);
        }

        public record Syscall(List<String> names, String action, Long errnoRet, List<Arg> args) {
            public Syscall {
                names = Immutables.list(names);
                args = Immutables.list(args);
            }
        }

        /** value and valueTwo are unsigned 64-bit (see {@link Process.Rlimit}). */
        public record Arg(long index, long value, Long valueTwo, String op) {
            @com.fasterxml.jackson.annotation.JsonCreator
            static Arg fromJson(@com.fasterxml.jackson.annotation.JsonProperty("index") long index,
                                @com.fasterxml.jackson.annotation.JsonProperty("value") java.math.BigInteger value,
                                @com.fasterxml.jackson.annotation.JsonProperty("valueTwo") java.math.BigInteger valueTwo,
                                @com.fasterxml.jackson.annotation.JsonProperty("op") String op) {
                return new Arg(index, value == null ? 0 : Unsigned64.of("seccomp argument value", value),
                        valueTwo == null ? null : Unsigned64.of("seccomp argument valueTwo", valueTwo), op);
            }
        }
    }
}
