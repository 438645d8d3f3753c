package dev.jrun.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** linux.personality, process.ioPriority and process.scheduler as the container's process sees them; linux.intelRdt refused. */
class ProcessAttributesIT extends BusyboxContainerTest {
    private JrunProcess.Result run(String name, String script, String processYaml, String linuxYaml) throws Exception {
        Path spec = Bundles.spec(bundle, name, script, "", Bundles.DEFAULT_LINUX + linuxYaml);
        Files.writeString(spec, Files.readString(spec).replace("  env: [PATH=/bin]\n", "  env: [PATH=/bin]\n" + processYaml));
        return jrun().run("run", spec.toString());
    }

    private String runInside(String name, String script, String processYaml, String linuxYaml) throws Exception {
        JrunProcess.Result result = run(name, script, processYaml, linuxYaml);
        assertEquals(0, result.code(), result.err());
        assertEquals("", result.err(), "nothing to warn about");
        return result.out();
    }

    @Test
    void personalityLinux32ShowsA32BitMachine() throws Exception {
        assertEquals("i686\n", runInside("personality", "uname -m", "", "  personality: {domain: LINUX32}\n"));
    }

    @Test
    void ioPriorityIsSet() throws Exception {
        assertEquals("best-effort: prio 3\n", runInside("ioprio", "ionice -p $$", "  ioPriority: {class: IOPRIO_CLASS_BE, priority: 3}\n", ""));
    }

    @Test
    void schedulerPolicyAndNiceAreSet() throws Exception {
        // /proc/self/stat: field 19 is the nice value, field 41 the policy (SCHED_BATCH = 3); the comm has no space.
        String out = runInside("sched", "cut -d' ' -f19,41 /proc/self/stat", "  scheduler: {policy: SCHED_BATCH, nice: 5}\n", "");
        assertEquals("5 3\n", out);
    }

    @Test
    void intelRdtIsRefused() throws Exception {
        JrunProcess.Result result = run("rdt", "true", "", "  intelRdt: {closID: guaranteed_group}\n");
        assertNotEquals(0, result.code());
        assertTrue(result.err().contains("/linux/intelRdt") && result.err().contains("not supported"), result.err());
    }
}
