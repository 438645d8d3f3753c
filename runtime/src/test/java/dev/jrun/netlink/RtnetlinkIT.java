package dev.jrun.netlink;

import static dev.jrun.netlink.TestNamespaces.exec;
import static dev.jrun.netlink.TestNamespaces.file;
import static dev.jrun.netlink.TestNamespaces.hasLink;
import static dev.jrun.netlink.TestNamespaces.ipJson;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jrun.spec.net.Cidr;
import dev.jrun.spec.net.IpLiteral;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * rtnetlink against the real kernel, as root, only inside network namespaces the test makes: every
 * socket is opened in one of them through the setns thread, so the machine's own interfaces are
 * never touched. What the kernel then holds is read back with `ip -j`.
 */
class RtnetlinkIT {
    private final TestNamespaces namespaces = new TestNamespaces();
    private final List<Process> helpers = new ArrayList<>();
    private String a;
    private String b;

    @BeforeEach
    void twoNamespaces() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip")), "iproute2 is not installed");
        a = namespaces.add("a");
        b = namespaces.add("b");
    }

    @AfterEach
    void removeNamespaces() throws Exception {
        for (Process helper : helpers) {
            helper.destroyForcibly().waitFor();
        }
        namespaces.removeAll();
    }

    @Test
    void vethBetweenTwoNamespacesIsConfiguredAsAskedAndCarriesPings() throws Exception {
        try (Rtnetlink inA = Rtnetlink.openIn(file(a)); NetnsFile bFile = NetnsFile.open(file(b))) {
            inA.createVeth(VethPair.of("nl-host", "nl-peer").withMtu(1400)
                    .withMacs(MacAddress.parse("02:00:00:00:00:0a"), MacAddress.parse("02:00:00:00:00:0b"))
                    .withPeerNetns(bFile.ref()));
            inA.setUp("nl-host");
            inA.addAddress("nl-host", Cidr.parse("10.200.0.1/24"));
            inA.addAddress("nl-host", Cidr.parse("fd00:200::1/64"));
        }
        try (Rtnetlink inB = Rtnetlink.openIn(file(b))) {
            inB.setUp("lo");
            inB.setUp("nl-peer");
            inB.addAddress("nl-peer", Cidr.parse("10.200.0.2/24"));
            inB.addAddress("nl-peer", Cidr.parse("fd00:200::2/64"));
            inB.addRoute(IpRoute.defaultVia(IpLiteral.parse("10.200.0.1"), "nl-peer", null));
            inB.addRoute(IpRoute.defaultVia(IpLiteral.parse("fd00:200::1"), "nl-peer", 100L));
            inB.addRoute(new IpRoute(Cidr.parse("192.168.77.0/24"), IpLiteral.parse("10.200.0.1"), "nl-peer", 50L));
            Link peer = inB.link("nl-peer");
            assertEquals(java.util.Optional.of("veth"), peer.kind());
            assertEquals(peer.index(), inB.linkIndex("nl-peer"));
        }

        JsonNode host = ipJson(a, "link", "show", "dev", "nl-host").get(0);
        assertEquals(1400, host.get("mtu").asInt());
        assertEquals("02:00:00:00:00:0a", host.get("address").asText());
        assertTrue(flags(host).contains("UP"), host.toString());
        JsonNode peer = ipJson(b, "link", "show", "dev", "nl-peer").get(0);
        assertEquals(1400, peer.get("mtu").asInt());
        assertEquals("02:00:00:00:00:0b", peer.get("address").asText());
        assertTrue(flags(peer).contains("UP"), peer.toString());
        assertTrue(flags(ipJson(b, "link", "show", "dev", "lo").get(0)).contains("UP"));
        assertFalse(hasLink(a, "nl-peer"), "the peer was created in b, not a");

        assertEquals(List.of("10.200.0.1/24", "fd00:200::1/64"), globalAddresses(a, "nl-host"));
        assertEquals(List.of("10.200.0.2/24", "fd00:200::2/64"), globalAddresses(b, "nl-peer"));
        // IFA_F_NODAD: the IPv6 address is usable at once, never "tentative".
        JsonNode v6 = address(b, "nl-peer", "fd00:200::2");
        assertFalse(v6.has("tentative"), v6.toString());
        assertTrue(v6.path("nodad").asBoolean(false), v6.toString());

        // -d: ip hides "proto boot" otherwise.
        JsonNode v4Default = route(ipJson(b, "-d", "-4", "route", "show", "default"), "default");
        assertEquals("10.200.0.1", v4Default.get("gateway").asText());
        assertEquals("nl-peer", v4Default.get("dev").asText());
        assertEquals("boot", v4Default.get("protocol").asText());
        assertEquals("global", v4Default.get("scope").asText());
        JsonNode v6Default = route(ipJson(b, "-6", "route", "show", "default"), "default");
        assertEquals("fd00:200::1", v6Default.get("gateway").asText());
        assertEquals(100, v6Default.get("metric").asInt());
        JsonNode network = route(ipJson(b, "-4", "route", "show"), "192.168.77.0/24");
        assertEquals("10.200.0.1", network.get("gateway").asText());
        assertEquals(50, network.get("metric").asInt());

        for (String[] ping : new String[][] {{"10.200.0.1"}, {"-6", "fd00:200::1"}}) {
            List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", b, "busybox", "ping", "-c", "1", "-W", "2"));
            command.addAll(List.of(ping));
            var result = exec(command.toArray(String[]::new));
            assertEquals(0, result.code(), String.join(" ", command) + ":\n" + result.out() + result.err());
        }
    }

    @Test
    void hostEndCanBeCreatedDirectlyInAnotherNamespace() throws Exception {
        String c = namespaces.add("c");
        try (Rtnetlink inA = Rtnetlink.openIn(file(a)); NetnsFile cFile = NetnsFile.open(file(c)); NetnsFile bFile = NetnsFile.open(file(b))) {
            inA.createVeth(VethPair.of("nl-h3", "nl-p3").withHostNetns(cFile.ref()).withPeerNetns(bFile.ref()));
        }
        assertTrue(hasLink(c, "nl-h3"), "host end in c");
        assertTrue(hasLink(b, "nl-p3"), "peer in b");
        assertFalse(hasLink(a, "nl-h3"), "nothing left in a, where the socket is");
        assertFalse(hasLink(a, "nl-p3"));
    }

    @Test
    void linkMovesIntoTheNamespaceOfAProcess() throws Exception {
        Process sleeper = new ProcessBuilder("ip", "netns", "exec", b, "sleep", "60").start();
        helpers.add(sleeper);
        Path bNamespace = file(b);
        // ip enters b, then execs sleep: wait until the process is in b.
        await().atMost(Duration.ofSeconds(10)).until(() -> sameNamespace(Path.of("/proc", Long.toString(sleeper.pid()), "ns", "net"), bNamespace));
        try (Rtnetlink inA = Rtnetlink.openIn(file(a))) {
            inA.createVeth(VethPair.of("nl-mv-h", "nl-mv-p"));
            assertTrue(inA.findLink("nl-mv-p").isPresent(), "without a namespace the peer is made beside the host end");
            inA.moveToNetns("nl-mv-p", NetnsRef.pid(sleeper.pid()));
            assertTrue(inA.findLink("nl-mv-p").isEmpty());
        }
        assertTrue(hasLink(b, "nl-mv-p"));
    }

    @Test
    void endAttachesToABridgeAndBridgesAreTold() throws Exception {
        TestNamespaces.run("ip", "-n", a, "link", "add", "nl-br0", "type", "bridge");
        try (Rtnetlink inA = Rtnetlink.openIn(file(a))) {
            inA.createVeth(VethPair.of("nl-h", "nl-p"));
            assertTrue(inA.isBridge("nl-br0"));
            assertFalse(inA.isBridge("nl-h"));
            assertFalse(inA.isBridge("lo"));
            inA.setMaster("nl-h", "nl-br0");
            assertEquals(inA.linkIndex("nl-br0"), inA.link("nl-h").master().orElseThrow());

            var missing = assertThrows(NetlinkException.class, () -> inA.setMaster("nl-p", "nl-nobr"));
            assertEquals("attach nl-p to bridge nl-nobr: ENODEV (no such device): there is no bridge named nl-nobr in network namespace "
                    + file(a), missing.getMessage());
            var notBridge = assertThrows(NetlinkException.class, () -> inA.setMaster("nl-p", "nl-h"));
            assertEquals("attach nl-p to bridge nl-h: nl-h is not a bridge (it is a veth interface)", notBridge.getMessage());
            assertEquals(0, notBridge.errno());
        }
        assertEquals("nl-br0", ipJson(a, "link", "show", "dev", "nl-h").get(0).get("master").asText());
    }

    @Test
    void takenNamesAreReportedByWhichNameAndWhere() throws Exception {
        try (Rtnetlink inA = Rtnetlink.openIn(file(a)); NetnsFile bFile = NetnsFile.open(file(b))) {
            inA.createVeth(VethPair.of("nl-dup", "nl-dup-p").withPeerNetns(bFile.ref()));
            var host = assertThrows(NetlinkException.class, () -> inA.createVeth(VethPair.of("nl-dup", "nl-other")));
            assertEquals("create veth nl-dup: EEXIST (file exists): interface nl-dup already exists in network namespace " + file(a),
                    host.getMessage());
            assertEquals(17, host.errno());
            var peer = assertThrows(NetlinkException.class, () -> inA.createVeth(VethPair.of("nl-new", "nl-dup-p").withPeerNetns(bFile.ref())));
            assertEquals("create veth nl-new: EEXIST (file exists): the peer's name nl-dup-p is taken in network namespace " + file(b),
                    peer.getMessage());
            assertFalse(hasLink(a, "nl-new"), "a failed create leaves nothing behind");
        }
    }

    @Test
    void badNamesAndMacsAreRefusedBeforeAnySystemCall() throws Exception {
        Rtnetlink closed = Rtnetlink.openIn(file(a));
        closed.close(); // any request on it would now fail with IllegalStateException, not NetlinkException
        var tooLong = assertThrows(NetlinkException.class, () -> closed.createVeth(VethPair.of("nl-0123456789abc", "p")));
        assertEquals("create veth nl-0123456789abc: interface name \"nl-0123456789abc\" is 16 bytes long; Linux allows at most 15",
                tooLong.getMessage());
        assertEquals(0, tooLong.errno());
        assertThrows(NetlinkException.class, () -> closed.setUp("a/b"));
        var multicast = assertThrows(NetlinkException.class,
                () -> closed.createVeth(VethPair.of("h", "p").withMacs(null, MacAddress.parse("01:00:5e:00:00:01"))));
        assertTrue(multicast.getMessage().contains("is a multicast address"), multicast.getMessage());
    }

    @Test
    void kernelErrorsReadAsWhatWasTried() throws Exception {
        try (Rtnetlink inA = Rtnetlink.openIn(file(a))) {
            var noLink = assertThrows(NetlinkException.class, () -> inA.setUp("nl-missing"));
            assertEquals("bring up nl-missing: ENODEV (no such device): there is no interface named nl-missing in network namespace " + file(a),
                    noLink.getMessage());
            assertTrue(inA.findLink("nl-missing").isEmpty());

            inA.createVeth(VethPair.of("nl-e", "nl-e-p"));
            inA.setUp("nl-e");
            inA.addAddress("nl-e", Cidr.parse("10.201.0.1/24"));
            var again = assertThrows(NetlinkException.class, () -> inA.addAddress("nl-e", Cidr.parse("10.201.0.1/24")));
            assertEquals("add address 10.201.0.1/24 to nl-e: EEXIST (file exists): nl-e already has the address 10.201.0.1"
                    + " (kernel: ipv4: Address already assigned)", again.getMessage());

            var unreachable = assertThrows(NetlinkException.class,
                    () -> inA.addRoute(IpRoute.defaultVia(IpLiteral.parse("10.99.0.1"), "nl-e", null)));
            assertTrue(unreachable.getMessage().startsWith("add route default via 10.99.0.1 dev nl-e: ENETUNREACH (network is unreachable): "
                    + "the gateway 10.99.0.1 is not reachable through nl-e"), unreachable.getMessage());

            var hostBits = assertThrows(NetlinkException.class,
                    () -> inA.addRoute(new IpRoute(Cidr.parse("10.5.5.5/16"), IpLiteral.parse("10.201.0.2"), "nl-e", null)));
            assertTrue(hostBits.getMessage().contains("10.5.5.5/16 has bits set past its prefix length"), hostBits.getMessage());

            var mtu = assertThrows(NetlinkException.class, () -> inA.setMtu("nl-e", 70000));
            assertTrue(mtu.getMessage().startsWith("set MTU of nl-e to 70000: EINVAL (invalid argument): MTU 70000 is outside the range nl-e accepts"),
                    mtu.getMessage());
            var vethMtu = assertThrows(NetlinkException.class, () -> inA.createVeth(VethPair.of("nl-m", "nl-m-p").withMtu(20)));
            assertEquals("create veth nl-m: EINVAL (invalid argument): MTU 20 is outside the range veth accepts (68 to 65535)", vethMtu.getMessage());
            // Above PID_MAX_LIMIT (2^22): no such process can exist, so nothing can leave for the host's namespace.
            var noProcess = assertThrows(NetlinkException.class, () -> inA.moveToNetns("nl-e", NetnsRef.pid(4_194_305)));
            assertEquals("move nl-e to the network namespace of pid 4194305: ESRCH (no such process): there is no process with pid 4194305",
                    noProcess.getMessage());
            inA.setMtu("nl-e", 9000);
            assertEquals(9000, inA.link("nl-e").mtu().orElseThrow());
            inA.setDown("nl-e");
            assertFalse(inA.link("nl-e").isUp());
        }
    }

    @Test
    void deleteRemovesBothEnds() throws Exception {
        try (Rtnetlink inA = Rtnetlink.openIn(file(a)); NetnsFile bFile = NetnsFile.open(file(b))) {
            inA.createVeth(VethPair.of("nl-del", "nl-del-p").withPeerNetns(bFile.ref()));
            int hostEnd = inA.linkIndex("nl-del");
            inA.deleteLink(hostEnd);
            assertFalse(hasLink(a, "nl-del"));
            assertFalse(hasLink(b, "nl-del-p"), "the peer goes with it");
            var gone = assertThrows(NetlinkException.class, () -> inA.deleteLink(hostEnd));
            assertEquals(19, gone.errno());

            inA.createVeth(VethPair.of("nl-del2", "nl-del2-p"));
            int index = inA.linkIndex("nl-del2-p");
            inA.deleteLink(index);
            assertFalse(hasLink(a, "nl-del2"));
            var byIndex = assertThrows(NetlinkException.class, () -> inA.deleteLink(index));
            assertEquals("delete interface #" + index + ": ENODEV (no such device): there is no interface with index " + index
                    + " in network namespace " + file(a), byIndex.getMessage());
        }
    }

    @Test
    void enteringANamespaceLeavesTheCallerWhereItWasAndNamesBadFiles() throws Exception {
        Path before = Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net"));
        try (Rtnetlink inA = Rtnetlink.openIn(file(a))) {
            assertEquals(1, inA.linkIndex("lo"));
        }
        assertEquals(before, Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")));

        var notNet = assertThrows(NetlinkException.class, () -> Rtnetlink.openIn(Path.of("/proc/self/ns/uts")));
        assertEquals("enter network namespace /proc/self/ns/uts: EINVAL (invalid argument): it is not a network namespace file "
                + "(expected e.g. /proc/PID/ns/net or /run/netns/NAME)", notNet.getMessage());
        var missing = assertThrows(NetlinkException.class, () -> Rtnetlink.openIn(Path.of("/run/netns/jrun-nl-no-such")));
        assertTrue(missing.getMessage().startsWith("open network namespace /run/netns/jrun-nl-no-such: ENOENT (no such file or directory)"),
                missing.getMessage());
    }

    private static boolean sameNamespace(Path procLink, Path netnsFile) throws Exception {
        try {
            String link = Files.readSymbolicLink(procLink).toString(); // "net:[4026532283]"
            long inode = (long) Files.getAttribute(netnsFile, "unix:ino");
            return link.equals("net:[" + inode + "]");
        } catch (java.nio.file.NoSuchFileException e) {
            return false;
        }
    }

    private static List<String> flags(JsonNode link) {
        return StreamSupport.stream(link.get("flags").spliterator(), false).map(JsonNode::asText).toList();
    }

    private static List<String> globalAddresses(String netns, String device) throws Exception {
        return StreamSupport.stream(ipJson(netns, "addr", "show", "dev", device).get(0).get("addr_info").spliterator(), false)
                .filter(info -> info.get("scope").asText().equals("global"))
                .map(info -> info.get("local").asText() + "/" + info.get("prefixlen").asInt())
                .toList();
    }

    private static JsonNode address(String netns, String device, String local) throws Exception {
        return StreamSupport.stream(ipJson(netns, "addr", "show", "dev", device).get(0).get("addr_info").spliterator(), false)
                .filter(info -> info.get("local").asText().equals(local)).findFirst().orElseThrow();
    }

    private static JsonNode route(JsonNode routes, String destination) {
        return StreamSupport.stream(routes.spliterator(), false)
                .filter(route -> route.get("dst").asText().equals(destination)).findFirst()
                .orElseThrow(() -> new AssertionError("no route to " + destination + " in " + routes));
    }
}
