package dev.jrun.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * config-linux.md's seccomp, from inside: a filter that refuses mkdir, and what the process sees of it. Skipped for a
 * runtime whose features say seccomp is not enabled. The process has no_new_privs, so any runtime may load the filter
 * as late as it likes.
 */
@DisplayName("Seccomp (config-linux.md)")
class SeccompTest extends ContainerTestSupport {
    @BeforeEach
    void assumeSeccomp() {
        assumeTrue(features.seccomp(), "the runtime's features say linux.seccomp is not enabled");
    }

    private static Bundle.Builder filtered(String script, String action, Integer errnoRet) {
        return config().edit(c -> {
            ((ObjectNode) c.get("process")).put("noNewPrivileges", true);
            ObjectNode seccomp = ((ObjectNode) c.get("linux")).putObject("seccomp");
            seccomp.put("defaultAction", "SCMP_ACT_ALLOW");
            ObjectNode rule = seccomp.putArray("syscalls").addObject();
            rule.putArray("names").add("mkdir").add("mkdirat");
            rule.put("action", action);
            if (errnoRet != null) {
                rule.put("errnoRet", errnoRet);
            }
        }).sh(script);
    }

    @Test
    @DisplayName("seccomp: \"errnoRet (uint, OPTIONAL) - the errno return code to use\"; the process runs under a filter (Seccomp: 2)")
    void aDeniedSyscallReturnsErrnoRet() throws Exception {
        assumeTrue(features.seccompAction("SCMP_ACT_ERRNO"), "the runtime's features do not list SCMP_ACT_ERRNO");
        String out = runToCompletion(filtered("grep '^Seccomp:' /proc/self/status; mkdir /dev/conformance 2>&1; echo status $?",
                "SCMP_ACT_ERRNO", 28));
        assertTrue(out.startsWith("Seccomp:\t2\n"), out);
        assertTrue(out.contains("No space left on device"), "ENOSPC (28) as errnoRet asked: " + out);
        assertTrue(out.endsWith("status 1\n"), out);
    }

    @Test
    @DisplayName("seccomp: \"If not specified then its default value is EPERM\" (errnoRet)")
    void errnoRetDefaultsToEperm() throws Exception {
        assumeTrue(features.seccompAction("SCMP_ACT_ERRNO"), "the runtime's features do not list SCMP_ACT_ERRNO");
        String out = runToCompletion(filtered("mkdir /dev/conformance 2>&1", "SCMP_ACT_ERRNO", null));
        assertTrue(out.contains("Operation not permitted"), out);
    }

    @Test
    @DisplayName("seccomp: SCMP_ACT_KILL_PROCESS ends the process with SIGSYS")
    void killProcessEndsWithSigsys() throws Exception {
        assumeTrue(features.seccompAction("SCMP_ACT_KILL_PROCESS"), "the runtime's features do not list SCMP_ACT_KILL_PROCESS");
        String out = runToCompletion(filtered("mkdir /dev/conformance; echo status $?", "SCMP_ACT_KILL_PROCESS", null));
        assertEquals("status 159\n", out, "128 + SIGSYS (31)");
    }
}
