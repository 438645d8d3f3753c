package dev.jrun.netlink;

import dev.jrun.sys.Errno;
import static dev.jrun.netlink.TestNamespaces.file;
import static dev.jrun.netlink.TestNamespaces.hasLink;
import static dev.jrun.netlink.TestNamespaces.ipJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The kernel facts jrun's proof of ownership rests on, checked on the running kernel, only inside
 * namespaces the test makes: a veth host end can be given the index jrun asks for; a taken index
 * or a taken name is EEXIST and leaves nothing made and nothing changed; a socket knows the
 * identity of the namespace it acts in.
 */
class ChosenIndexIT {
    private final TestNamespaces namespaces = new TestNamespaces();
    private String a;
    private String b;

    @BeforeEach
    void twoNamespaces() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip")), "iproute2 is not installed");
        a = namespaces.add("ia");
        b = namespaces.add("ib");
    }

    @AfterEach
    void removeNamespaces() throws Exception {
        namespaces.removeAll();
    }

    @Test
    void theHostEndGetsExactlyTheIndexAskedForAndThePeerOneOfTheKernels() throws Exception {
        int index = ChosenIndex.pick();
        try (Rtnetlink inA = Rtnetlink.openIn(file(a)); NetnsFile bFile = NetnsFile.open(file(b))) {
            inA.createVeth(VethPair.of("nl-ix", "nl-ix-p").withPeerNetns(bFile.ref()).withHostIndex(index));
            assertEquals(index, inA.linkIndex("nl-ix"));
            assertEquals("nl-ix", inA.findLink(index).orElseThrow().name());
            inA.deleteLink(index);
            assertEquals(Optional.empty(), inA.findLink(index));
        }
        assertFalse(hasLink(b, "nl-ix-p"), "deleting the host end by index took the peer");
    }

    @Test
    void whatIpSeesIsTheIndexAskedFor() throws Exception {
        int index = ChosenIndex.pick();
        try (Rtnetlink inA = Rtnetlink.openIn(file(a)); NetnsFile bFile = NetnsFile.open(file(b))) {
            inA.createVeth(VethPair.of("nl-ip", "nl-ip-p").withPeerNetns(bFile.ref()).withHostIndex(index));
        }
        assertEquals(index, ipJson(a, "link", "show", "dev", "nl-ip").get(0).get("ifindex").asInt());
        int peer = ipJson(b, "link", "show", "dev", "nl-ip-p").get(0).get("ifindex").asInt();
        assertFalse(ChosenIndex.isChosen(peer), "the peer is numbered by the kernel in its own namespace: " + peer);
    }

    @Test
    void aTakenIndexIsEexistAndNeitherChangesItsLinkNorMakesAnything() throws Exception {
        int index = ChosenIndex.pick();
        try (Rtnetlink inA = Rtnetlink.openIn(file(a)); NetnsFile bFile = NetnsFile.open(file(b))) {
            inA.createVeth(VethPair.of("nl-hold", "nl-hold-p").withHostIndex(index));

            var taken = assertThrows(NetlinkException.class,
                    () -> inA.createVeth(VethPair.of("nl-late", "nl-late-p").withPeerNetns(bFile.ref()).withHostIndex(index)));

            assertEquals(Errno.EEXIST, taken.errno());
            assertEquals("create veth", taken.operation());
            assertEquals("create veth nl-late: EEXIST (file exists): the index " + index + " asked for nl-late is taken by interface nl-hold"
                    + " in network namespace " + file(a) + " (jrun draws it at random, so another attempt draws another)", taken.getMessage());
            assertEquals("nl-hold", inA.findLink(index).orElseThrow().name(), "the link with the index is not renamed");
            assertTrue(inA.findLink("nl-late").isEmpty());
        }
        assertFalse(hasLink(b, "nl-late-p"), "no peer is left behind");
    }

    @Test
    void anIndexTheKernelGaveIsTakenToo() throws Exception {
        try (Rtnetlink inA = Rtnetlink.openIn(file(a))) {
            var lo = assertThrows(NetlinkException.class, () -> inA.createVeth(VethPair.of("nl-one", "nl-one-p").withHostIndex(1)));
            assertEquals(Errno.EEXIST, lo.errno());
            assertTrue(lo.getMessage().contains("taken by interface lo"), lo.getMessage());
            assertEquals(1, inA.linkIndex("lo"));
        }
    }

    @Test
    void aTakenNameIsEexistWhateverTheIndex() throws Exception {
        int first = ChosenIndex.pick();
        int second = first == ChosenIndex.END - 1 ? first - 1 : first + 1;
        try (Rtnetlink inA = Rtnetlink.openIn(file(a)); NetnsFile bFile = NetnsFile.open(file(b))) {
            inA.createVeth(VethPair.of("nl-name", "nl-name-p").withHostIndex(first));

            var taken = assertThrows(NetlinkException.class,
                    () -> inA.createVeth(VethPair.of("nl-name", "nl-other-p").withPeerNetns(bFile.ref()).withHostIndex(second)));

            assertEquals(Errno.EEXIST, taken.errno());
            assertEquals("create veth nl-name: EEXIST (file exists): interface nl-name already exists in network namespace " + file(a),
                    taken.getMessage());
            assertEquals(first, inA.linkIndex("nl-name"));
            assertEquals(Optional.empty(), inA.findLink(second));
        }
        assertFalse(hasLink(b, "nl-other-p"));
    }

    @Test
    void aSocketKnowsTheIdentityOfTheNamespaceItActsIn() throws Exception {
        try (Rtnetlink inA = Rtnetlink.openIn(file(a)); Rtnetlink inB = Rtnetlink.openIn(file(b)); Rtnetlink own = Rtnetlink.open()) {
            assertEquals(identityOf(file(a)), inA.namespace());
            assertEquals(identityOf(file(b)), inB.namespace());
            assertNotEquals(inA.namespace(), inB.namespace());
            assertEquals(identityOf(Path.of("/proc/self/ns/net")), own.namespace(), "jrun's own namespace");
        }
    }

    @Test
    void openingWhereNoNetworkNamespaceIsAnyMoreIsEmptyNotAnError() throws Exception {
        assertTrue(Rtnetlink.openInIfPresent(Path.of("/run/netns/jrun-nl-no-such")).isEmpty(), "no such file");
        assertTrue(Rtnetlink.openInIfPresent(Path.of("/proc/self/ns/uts")).isEmpty(), "not a network namespace");
        assertTrue(Rtnetlink.openInIfPresent(Path.of("/etc/hostname/net")).isEmpty(), "a path through a file");
        try (Rtnetlink inA = Rtnetlink.openInIfPresent(file(a)).orElseThrow()) {
            assertEquals(identityOf(file(a)), inA.namespace());
        }
    }

    private static NetnsIdentity identityOf(Path file) throws Exception {
        var attributes = Files.readAttributes(file, "unix:dev,ino");
        return new NetnsIdentity(((Number) attributes.get("dev")).longValue(), ((Number) attributes.get("ino")).longValue());
    }
}
