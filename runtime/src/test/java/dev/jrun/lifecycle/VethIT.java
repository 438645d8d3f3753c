package dev.jrun.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.netlink.ChosenIndex;
import dev.jrun.network.VethNetwork;
import dev.jrun.testing.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * jrun.veth for real. Every host end goes into a network namespace the test made (hostNetns), so no
 * traffic touches the machine's own network; pings are bounded in count and time.
 */
class VethIT extends BusyboxContainerTest {
    final String prefix = "jrv" + ProcessHandle.current().pid() % 100000;
    final List<String> namespaces = new ArrayList<>();
    Path results;

    @BeforeEach
    void resultsDirectory() throws Exception {
        results = Files.createDirectories(stateRoot.resolveSibling(prefix + "-results"));
        Bundles.searchable(results);
    }

    @AfterEach
    void removeWhatTheTestMade() throws Exception {
        for (String id : jrun().run("list", "-q").out().lines().toList()) {
            jrun().run("delete", "--force", id);
        }
        for (String ns : namespaces) {
            // run, not check: clean-up goes on whatever the exit code (a test may have removed it already).
            Command.of("ip", "netns", "delete", ns).run(Duration.ofSeconds(30));
        }
        try (var files = Files.list(results)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(results);
    }

    private String netns(String suffix) throws Exception {
        String name = prefix + "-" + suffix;
        exec("ip", "netns", "add", name);
        namespaces.add(name);
        return name;
    }

    /** A spec whose process writes its findings into results/NAME and then keeps running. */
    private Path spec(String name, String script, String vethYaml, String namespacesYaml) throws Exception {
        Path spec = Bundles.spec(bundle, name, "(" + script + ") > /results/" + name + " 2>&1; while true; do sleep 1; done", "jrun:\n  veth:\n" + vethYaml,
                "linux:\n  namespaces: [{type: pid}, {type: mount}, {type: uts}, " + namespacesYaml + "]\n");
        Files.writeString(spec, Files.readString(spec).replace("  - {destination: /proc, type: proc, source: proc}\n",
                "  - {destination: /proc, type: proc, source: proc}\n  - {destination: /results, type: bind, source: " + results + ", options: [rbind]}\n"));
        return spec;
    }

    private String resultOf(String name) throws Exception {
        Path file = results.resolve(name);
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(file) && Files.readString(file).contains("DONE"));
        return Files.readString(file);
    }

    private void createAndStart(Path spec, String id) throws Exception {
        JrunProcess.Result create = jrun().run("create", spec.toString());
        assertEquals(0, create.code(), create.err());
        assertEquals(0, jrun().run("start", id).code());
    }

    @Test
    void containerSeesEth0WithItsAddressesAndRoutesAndTrafficFlowsBothWays() throws Exception {
        String host = netns("host");
        Path spec = spec("web", "ip -o addr show eth0; ip route; ip -6 route; ping -c 1 -W 2 10.123.0.1 && echo PING4-OK;"
                        + " ping -6 -c 1 -W 2 fd12:3::1 && echo PING6-OK; echo DONE",
                "    hostNetns: /run/netns/" + host + "\n"
                        + "    mtu: 1400\n"
                        + "    containerMac: \"02:12:34:56:78:9a\"\n"
                        + "    containerAddresses: [10.123.0.2/24, fd12:3::2/64]\n"
                        + "    hostAddresses: [10.123.0.1/24, fd12:3::1/64]\n"
                        + "    gateways: [10.123.0.1, fd12:3::1]\n"
                        + "    routes: [{destination: 10.124.0.0/16, via: 10.123.0.1, metric: 50}]\n",
                "{type: network}");
        createAndStart(spec, "web");
        String seen = resultOf("web");
        assertTrue(seen.contains("inet 10.123.0.2/24") && seen.contains("inet6 fd12:3::2/64"), seen);
        assertTrue(seen.contains("default via 10.123.0.1 dev eth0"), seen);
        assertTrue(seen.contains("10.124.0.0/16 via 10.123.0.1 dev eth0") && seen.contains("metric 50"), seen);
        assertTrue(seen.contains("default via fd12:3::1 dev eth0"), seen);
        assertTrue(seen.contains("PING4-OK") && seen.contains("PING6-OK"), "container → host end: " + seen);
        // host end → container
        exec("ip", "netns", "exec", host, "busybox", "ping", "-c", "1", "-W", "2", "10.123.0.2");
        exec("ip", "netns", "exec", host, "busybox", "ping", "-6", "-c", "1", "-W", "2", "fd12:3::2");
        String hostEnd = VethNetwork.defaultHostName("web");
        String link = output("ip", "-n", host, "-o", "link", "show", hostEnd);
        assertTrue(link.contains("mtu 1400") && link.contains("state UP"), link);
        int index = Integer.parseInt(link.substring(0, link.indexOf(':')));
        assertTrue(ChosenIndex.isChosen(index), "the host end has the index jrun chose, not one of the kernel's: " + link);
        String inside = output("ip", "-n", host, "-o", "link");
        assertEquals(0, jrun().run("delete", "--force", "web").code());
        assertEquals(List.of("lo"), linkNames(host), "after delete only lo remains in " + host + " (before: " + inside + ")");
    }

    @Test
    void twoContainersOnOneBridgeReachEachOther() throws Exception {
        String host = netns("bridge");
        exec("ip", "-n", host, "link", "add", "br-jrun", "type", "bridge");
        exec("ip", "-n", host, "link", "set", "br-jrun", "up");
        String veth = "    hostNetns: /run/netns/" + host + "\n    bridge: br-jrun\n";
        createAndStart(spec("one", "echo DONE", veth + "    containerAddresses: [10.125.0.2/24]\n", "{type: network}"), "one");
        resultOf("one");
        createAndStart(spec("two", "ping -c 1 -W 2 10.125.0.2 && echo PEER-OK; echo DONE", veth + "    containerAddresses: [10.125.0.3/24]\n",
                "{type: network}"), "two");
        assertTrue(resultOf("two").contains("PEER-OK"), resultOf("two"));
        assertTrue(output("ip", "-n", host, "-o", "link", "show", "master", "br-jrun").contains(VethNetwork.defaultHostName("one")));
        assertEquals(0, jrun().run("delete", "--force", "one").code());
        assertEquals(0, jrun().run("delete", "--force", "two").code());
        assertEquals(List.of("lo", "br-jrun"), linkNames(host));
    }

    @Test
    void aJoinedNetworkNamespaceGetsTheContainerEnd() throws Exception {
        String host = netns("joinhost");
        String joined = netns("joined");
        createAndStart(spec("joiner", "ip -o addr show eth0; echo DONE",
                "    hostNetns: /run/netns/" + host + "\n    containerAddresses: [10.126.0.2/24]\n",
                "{type: network, path: /run/netns/" + joined + "}"), "joiner");
        assertTrue(resultOf("joiner").contains("10.126.0.2/24"));
        assertTrue(output("ip", "-n", joined, "-o", "addr").contains("10.126.0.2/24"), "the end is in the joined namespace");
        assertEquals(0, jrun().run("delete", "--force", "joiner").code());
        assertEquals(List.of("lo"), linkNames(host));
    }

    @Test
    void aTakenHostNameFailsClearlyAndLeavesNothing() throws Exception {
        String host = netns("taken");
        exec("ip", "-n", host, "link", "add", "taken0", "type", "bridge");
        Path spec = spec("clash", "echo DONE", "    hostNetns: /run/netns/" + host + "\n    hostInterface: taken0\n", "{type: network}");
        JrunProcess.Result create = jrun().run("create", spec.toString());
        assertEquals(1, create.code());
        assertTrue(create.err().contains("set up the network") && create.err().contains("EEXIST") && create.err().contains("taken0"), create.err());
        assertEquals("absent", jrun().status("clash"));
        assertEquals(List.of("lo", "taken0"), linkNames(host), "the existing interface is untouched, nothing added");
    }

    @Test
    void aMissingBridgeInTheHostNamespaceFailsAtCreateAndLeavesNothing() throws Exception {
        String host = netns("nobridge");
        Path spec = spec("nobr", "echo DONE", "    hostNetns: /run/netns/" + host + "\n    bridge: no-such-br\n", "{type: network}");
        JrunProcess.Result create = jrun().run("create", spec.toString());
        assertEquals(1, create.code());
        assertTrue(create.err().contains("no-such-br"), create.err());
        assertEquals(List.of("lo"), linkNames(host));
        assertEquals("absent", jrun().status("nobr"));
    }

    private List<String> linkNames(String ns) throws Exception {
        return output("ip", "-n", ns, "-o", "link").lines()
                .map(l -> l.split(": ")[1].split("@")[0]).toList();
    }

    private static String output(String... command) throws Exception {
        return Command.of(command).check(Duration.ofSeconds(30));
    }

    private static void exec(String... command) throws Exception {
        output(command);
    }
}
