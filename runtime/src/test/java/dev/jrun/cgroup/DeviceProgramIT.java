package dev.jrun.cgroup;

import static dev.jrun.cgroup.DeviceRules.ALL;
import static dev.jrun.cgroup.DeviceRules.ANY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jrun.error.JrunException;
import dev.jrun.spec.model.Resources;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The device program on the real kernel (root required): attached to a throwaway cgroup of the v2 tree
 * (/sys/fs/cgroup/unified on this hybrid host, where the device hook consults the task's v2 cgroup as well as its v1
 * devices cgroup), with a shell of the test's own moved into it. Only the cgroup jrun-test-RANDOM is made, attached
 * to and removed (by its exact path; the program goes with it), and only the test's own shell is ended.
 */
class DeviceProgramIT {
    private Path cgroup;
    private Process shell;

    @BeforeEach
    void makeACgroup() throws IOException {
        Optional<CgroupMount> unified = CgroupLayout.readOwn().mounts().stream()
                .filter(m -> m instanceof CgroupMount.Unified && !m.readOnly()).findFirst();
        assumeTrue(unified.isPresent(), "no writable cgroup v2 tree is mounted");
        cgroup = Files.createDirectory(unified.get().mountPoint().resolve(TestCgroups.randomName()));
    }

    @AfterEach
    void removeWhatTheTestMade() throws InterruptedException {
        TestCgroups.end(shell);
        if (cgroup != null) {
            TestCgroups.rmdirWhenFree(cgroup);
        }
    }

    @Test
    void aDeniedDeviceCannotBeOpenedFromTheCgroupAndAnAllowedOneCan() throws Exception {
        DeviceProgram program = DeviceProgram.of(DeviceList.of(List.of(
                new DeviceRules.Rule(true, 'a', ANY, ANY, ALL, "test"), new DeviceRules.Rule(false, 'c', 1, 3, ALL, "test"))));
        CgroupPlacement.fenceDevices(cgroup, program);

        String out = runInCgroup("head -c1 /dev/zero | wc -c; echo > /dev/null && echo null-opened");

        assertTrue(out.startsWith("1\n"), "/dev/zero is allowed: " + out);
        assertTrue(out.contains("/dev/null: Operation not permitted"), "/dev/null is denied (EPERM): " + out);
        assertTrue(!out.contains("null-opened"), out);
        assertEquals("null-opened\n", run("echo > /dev/null && echo null-opened"), "outside the cgroup nothing changed");
    }

    @Test
    void podmansRulesAllowTheDefaultNodesAndDenyTheOthers() throws Exception {
        Resources resources = new Resources(List.of(new Resources.DeviceRule(false, null, null, null, "rwm")), null, null, null,
                List.of(), null, null, Map.of(), Map.of());
        CgroupPlacement.fenceDevices(cgroup, ResourceWrites.forV2(resources).devices().orElseThrow());

        String out = runInCgroup("echo > /dev/null && echo null-opened; head -c1 /dev/urandom | wc -c; : < /dev/kmsg && echo kmsg-opened");

        assertTrue(out.contains("null-opened"), out);
        assertTrue(out.contains("\n1\n"), "/dev/urandom is allowed: " + out);
        assertTrue(out.contains("/dev/kmsg: Operation not permitted") && !out.contains("kmsg-opened"), "/dev/kmsg (c 1:11) is not: " + out);
    }

    @Test
    void aProgramTheVerifierRefusesFailsWithTheKernelsWords() {
        byte[] exitAlone = {(byte) DeviceProgram.EXIT, 0, 0, 0, 0, 0, 0, 0}; // r0 is never set
        JrunException.SystemFailure e = assertThrows(JrunException.SystemFailure.class,
                () -> CgroupPlacement.fenceDevices(cgroup, DeviceProgram.ofInstructions(exitAlone)));
        assertTrue(e.getMessage().startsWith("cannot apply linux.resources.devices on cgroup v2: bpf(BPF_PROG_LOAD)"), e.getMessage());
        assertTrue(e.getMessage().contains("the kernel's verifier said: ") && e.getMessage().contains("R0 !read_ok"), e.getMessage());
    }

    /** script's output (stdout and stderr) when run by a shell that first moves itself into the cgroup. */
    private String runInCgroup(String script) throws Exception {
        return run("echo $$ > " + cgroup.resolve("cgroup.procs") + " && exec sh -c '" + script + "'");
    }

    private String run(String script) throws Exception {
        shell = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        String out = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(shell.waitFor(TestCgroups.LONG.toSeconds(), TimeUnit.SECONDS), "the shell ends");
        return out;
    }
}
