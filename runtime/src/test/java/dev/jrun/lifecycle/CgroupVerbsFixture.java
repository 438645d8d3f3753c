package dev.jrun.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the ITs of the verbs on a container's cgroups (ps, update, events) share: a busybox bundle, a --root of each
 * test's own, and every container force-deleted by its id afterwards.
 */
abstract class CgroupVerbsFixture {
    @TempDir
    static Path shared;

    static Path bundle;

    @TempDir
    Path stateRoot;

    @TempDir
    Path files;

    JrunProcess jrun;

    @BeforeAll
    static void rootfs() throws Exception {
        bundle = Bundles.busyboxBundle(shared);
    }

    @BeforeEach
    void jrun() {
        jrun = JrunProcess.withRoot(stateRoot);
    }

    @AfterEach
    void deleteTheContainers() throws Exception {
        for (String id : jrun.run("list", "-q").out().lines().toList()) {
            jrun.run("delete", "--force", id);
        }
    }

    /** Creates and starts container id running script, with linuxYaml as its linux section. */
    void start(String id, String script, String linuxYaml) throws Exception {
        Path spec = Bundles.spec(bundle, id, script, "", linuxYaml);
        JrunProcess.Result create = jrun.run("create", spec.toString());
        assertEquals(0, create.code(), create.err());
        assertEquals(0, jrun.run("start", id).code());
    }
}
