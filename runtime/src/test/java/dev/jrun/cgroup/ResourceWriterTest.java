package dev.jrun.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jrun.error.JrunException;
import dev.jrun.sys.Errno;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer over directories laid out as cgroups (empty files stand for the controllers' files; no root, no kernel). */
class ResourceWriterTest {
    @TempDir
    Path fs;

    private Path cgroup(String directory, String... files) throws Exception {
        Path dir = Files.createDirectories(fs.resolve(directory));
        for (String file : files) {
            Files.writeString(dir.resolve(file), "");
        }
        return dir;
    }

    @Test
    void writesEachValueExactlyIntoTheV2Directory() throws Exception {
        Path dir = cgroup("ctr", "cpu.weight", "cpu.max", "memory.swap.max", "memory.max", "pids.max");

        ResourceWriter.writeV2(dir, ResourceWrites.forV2(V2ResourceWritesTest.podman()).writes());

        assertEquals("100", Files.readString(dir.resolve("cpu.weight")));
        assertEquals("50000 100000", Files.readString(dir.resolve("cpu.max")), "the bytes as they are: no newline");
        assertEquals("536870912", Files.readString(dir.resolve("memory.swap.max")));
        assertEquals("536870912", Files.readString(dir.resolve("memory.max")));
        assertEquals("2048", Files.readString(dir.resolve("pids.max")));
    }

    @Test
    void aMissingControllerFileFailsBeforeAnythingIsWritten() throws Exception {
        Path dir = cgroup("ctr", "cpu.weight", "cpu.max", "memory.swap.max", "memory.max");

        JrunException.SystemFailure e = assertThrows(JrunException.SystemFailure.class,
                () -> ResourceWriter.writeV2(dir, ResourceWrites.forV2(V2ResourceWritesTest.podman()).writes()));

        assertEquals("cannot apply linux.resources: writing \"2048\" to " + dir.resolve("pids.max") + " (from /linux/resources/pids/limit)"
                + " failed: ENOENT (no such file or directory); the cgroup has no such file: the pids controller is not enabled for it"
                + " (on v2, in the parent's cgroup.subtree_control) or this kernel does not have the setting", e.getMessage());
        assertEquals(1, e.exitCode());
        assertEquals("", Files.readString(dir.resolve("cpu.weight")), "nothing is written when a file is missing");
    }

    @Test
    void aRefusedWriteNamesTheFileTheValueAndItsErrno() throws Exception {
        Path dir = cgroup("ctr");
        Files.createDirectory(dir.resolve("memory.max")); // open(O_WRONLY) of a directory: EISDIR stands for a kernel refusal

        JrunException.SystemFailure e = assertThrows(JrunException.SystemFailure.class, () -> ResourceWriter.writeV2(dir,
                List.of(new ControllerWrite("memory", "memory.max", "536870912", "/linux/resources/memory/limit"))));

        assertEquals("cannot apply linux.resources: writing \"536870912\" to " + dir.resolve("memory.max")
                + " (from /linux/resources/memory/limit) failed: EISDIR (is a directory)", e.getMessage());
    }

    @Test
    void theKernelsRefusalsSayWhatToLookAt() {
        ControllerWrite max = new ControllerWrite("cpu", "cpu.max", "50000 100000", "/linux/resources/cpu/quota");
        Path file = Path.of("/sys/fs/cgroup/ctr/cpu.max");

        assertEquals("cannot apply linux.resources: writing \"50000 100000\" to /sys/fs/cgroup/ctr/cpu.max (from /linux/resources/cpu/quota)"
                + " failed: EINVAL (invalid argument); the kernel does not accept this value for cpu.max",
                ResourceWriter.refusal(max, file, Errno.EINVAL));
        assertEquals("cannot apply linux.resources: writing \"50000 100000\" to /sys/fs/cgroup/ctr/cpu.max (from /linux/resources/cpu/quota)"
                + " failed: ERANGE (numerical result out of range); the kernel does not accept this value for cpu.max",
                ResourceWriter.refusal(max, file, Errno.ERANGE));
        ControllerWrite cpus = new ControllerWrite("cpuset", "cpuset.cpus", "0-63", "/linux/resources/cpu/cpus");
        assertEquals("cannot apply linux.resources: writing \"0-63\" to /sys/fs/cgroup/ctr/cpuset.cpus (from /linux/resources/cpu/cpus)"
                + " failed: EBUSY (device or resource busy); the cgroup's present state forbids the change (a memory limit below"
                + " what is in use, CPUs or nodes outside the parent's cpuset or still used by a child)",
                ResourceWriter.refusal(cpus, Path.of("/sys/fs/cgroup/ctr/cpuset.cpus"), Errno.EBUSY));
    }

    @Test
    void writesEachControllerIntoItsOwnV1Hierarchy() throws Exception {
        Path cpu = cgroup("cpu,cpuacct/ctr", "cpu.shares", "cpu.cfs_period_us", "cpu.cfs_quota_us");
        Path memory = cgroup("memory/ctr", "memory.limit_in_bytes", "memory.memsw.limit_in_bytes");
        Path pids = cgroup("pids/ctr", "pids.max");
        Path devices = cgroup("devices/ctr", "devices.allow", "devices.deny");

        ResourceWriter.writeV1(Map.of("cpu", cpu, "memory", memory, "pids", pids, "devices", devices),
                ResourceWrites.forV1(V2ResourceWritesTest.podman()).writes());

        assertEquals("1024", Files.readString(cpu.resolve("cpu.shares")));
        assertEquals("100000", Files.readString(cpu.resolve("cpu.cfs_period_us")));
        assertEquals("50000", Files.readString(cpu.resolve("cpu.cfs_quota_us")));
        assertEquals("536870912", Files.readString(memory.resolve("memory.limit_in_bytes")));
        assertEquals("1073741824", Files.readString(memory.resolve("memory.memsw.limit_in_bytes")));
        assertEquals("2048", Files.readString(pids.resolve("pids.max")));
        assertEquals("a", Files.readString(devices.resolve("devices.deny")));
    }

    @Test
    void aV1ControllerWithoutAHierarchyIsNamed() throws Exception {
        Path cpu = cgroup("cpu/ctr", "cpu.shares", "cpu.cfs_period_us", "cpu.cfs_quota_us");
        Path memory = cgroup("memory/ctr", "memory.limit_in_bytes", "memory.memsw.limit_in_bytes");

        JrunException.SystemFailure e = assertThrows(JrunException.SystemFailure.class, () -> ResourceWriter.writeV1(
                Map.of("cpu", cpu, "memory", memory), ResourceWrites.forV1(V2ResourceWritesTest.podman()).writes()));

        assertEquals("cannot apply linux.resources: /linux/resources/pids/limit needs the cgroup v1 pids controller, and the"
                + " container has no cgroup in a hierarchy of it: mount the pids hierarchy or leave the setting out", e.getMessage());
        assertEquals("", Files.readString(cpu.resolve("cpu.shares")), "nothing is written");
    }

    @Test
    void aWriteReplacesWhatTheFileHeldWithoutTruncatingOrCreating() throws Exception {
        Path dir = cgroup("ctr");
        Files.writeString(dir.resolve("pids.max"), "max");

        ResourceWriter.writeV2(dir, List.of(new ControllerWrite("pids", "pids.max", "12", "/linux/resources/pids/limit")));

        // a regular file keeps its tail (a cgroup file has none: the kernel parses each write whole)
        assertEquals("12x", Files.readString(dir.resolve("pids.max")));
    }
}
