package dev.jrun.conformance;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * config-linux.md, namespaces: "If a namespace type is not specified in the namespaces array, the container MUST
 * inherit the runtime namespace of that type." Without {type: mount} the container shares the runtime's mount
 * namespace, so whatever the runtime mounts for it lands there: each test runs the runtime in a {@link Sandbox},
 * whose mount namespace (private, unshare's default) takes those mounts and ends with it.
 *
 * <p>The container's root is checked by identity (st_dev and st_ino of its "/" against the bundle's root.path): a
 * bind of the rootfs onto itself, or the directory itself, both have the directory's.
 */
@DisplayName("A container without a mount namespace of its own (config-linux.md)")
class SharedMountNamespaceTest extends ContainerTestSupport {
    private static final String PRINT_MOUNT_NAMESPACE_AND_ROOT = "readlink /proc/self/ns/mnt; stat -c %d:%i /";

    @Test
    @DisplayName("no {type: mount}: the process runs in the runtime's mount namespace, with the bundle's root as its /")
    void theProcessSharesTheRuntimesMountNamespaceWithTheBundlesRootAsItsRoot() throws Exception {
        try (Sandbox sandbox = Sandbox.open(work.resolve("sandbox"))) {
            Container container = unmanagedContainer(sandbox.runtime(cli),
                    bundle(config().withoutNamespace("mount").sh(PRINT_MOUNT_NAMESPACE_AND_ROOT + "; exec sleep 1000")), freshId());
            try (container) {
                container.started();
                String out = await("the container's mount namespace and root on its stdout").atMost(Container.TIMEOUT)
                        .pollInterval(Duration.ofMillis(50)).until(container::stdout, o -> o.lines().count() >= 2);
                assertEquals(List.of(sandbox.mountNamespace(), identityOf(Rootfs.path())), out.lines().toList(),
                        "the runtime's mount namespace, and the root of the bundle; stderr: " + container.stderr());
            }
        }
    }

    @Test
    @KnownBug(runtime = "runc", value = "runc 1.1.5's exec into a container without a mount namespace runs the process in the "
            + "runtime's root, not in the container's chroot")
    @DisplayName("no {type: mount}: exec runs its process in the runtime's mount namespace too, with the container's root as its /")
    void execRunsInTheContainersRoot() throws Exception {
        try (Sandbox sandbox = Sandbox.open(work.resolve("sandbox"))) {
            Container container = unmanagedContainer(sandbox.runtime(cli),
                    bundle(config().withoutNamespace("mount").sh("exec sleep 1000")), freshId());
            try (container) {
                container.started();
                RuntimeUnderTest.Result exec = container.exec("sh", "-c", PRINT_MOUNT_NAMESPACE_AND_ROOT);
                assertSucceeded(exec);
                assertEquals(List.of(sandbox.mountNamespace(), identityOf(Rootfs.path())), exec.out().lines().toList(), exec.toString());
            }
        }
    }

    /** "DEV:INO" as busybox's stat -c %d:%i prints it. */
    private static String identityOf(Path dir) throws Exception {
        return Files.getAttribute(dir, "unix:dev") + ":" + Files.getAttribute(dir, "unix:ino");
    }
}
