package dev.jrun.lifecycle;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** Integration tests that share one busybox bundle per class and get a fresh state root per test. */
abstract class BusyboxContainerTest {
    @TempDir
    static Path shared;

    static Path bundle;

    @TempDir
    Path stateRoot;

    @BeforeAll
    static void busyboxBundle() throws Exception {
        // Searchable: tests with a user namespace run as a container root mapped to another host uid.
        bundle = Bundles.busyboxBundle(Bundles.searchable(shared));
    }

    JrunProcess jrun() {
        return JrunProcess.withRoot(stateRoot);
    }
}
