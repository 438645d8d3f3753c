package dev.jrun.spec.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jrun.spec.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Namespace files are told by type against the real kernel: /proc links and bind-mounted nsfs files. */
class HostViewTest {
    private final HostView host = new HostView();

    @Test
    void procNamespaceLinks() throws Exception {
        assertEquals(Optional.of("net"), host.namespaceTypeOf(Path.of("/proc/self/ns/net")));
        assertEquals(Optional.of("mnt"), host.namespaceTypeOf(Path.of("/proc/self/ns/mnt")));
        assertEquals(Optional.of("uts"), host.namespaceTypeOf(Path.of("/proc/" + ProcessHandle.current().pid() + "/ns/uts")));
        assertEquals(Optional.empty(), host.namespaceTypeOf(Path.of("/etc/hostname")));
    }

    @Test
    void bindMountedNamespaceFileFromIpNetns() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip")), "iproute2 is not installed");
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to create a network namespace");
        String name = "jrun-test-" + ProcessHandle.current().pid();
        run("ip", "netns", "add", name);
        try {
            assertEquals(Optional.of("net"), host.namespaceTypeOf(Path.of("/run/netns", name)));
        } finally {
            run("ip", "netns", "delete", name);
        }
    }

    @Test
    void bridgeLookupRefusesPathTricks() {
        assertEquals(false, host.isBridge("../../../etc"));
        assertEquals(false, host.isBridge("lo"));
    }

    private static void run(String... command) throws Exception {
        Command.of(command).check(Duration.ofSeconds(30));
    }
}
