package dev.jrun.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jrun.netlink.ChosenIndex;
import dev.jrun.netlink.NetlinkException;
import dev.jrun.netlink.NetnsFile;
import dev.jrun.netlink.NetnsIdentity;
import dev.jrun.network.VethNetwork;
import dev.jrun.spec.model.JrunExtension;
import dev.jrun.state.ContainerLock;
import dev.jrun.state.ContainerState;
import dev.jrun.sys.FileIdentity;
import dev.jrun.state.Phase;
import dev.jrun.state.StateStore;
import dev.jrun.testing.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * delete (and create's clean-up) removes a host end only while it is provably the container's: the
 * recorded network namespace (by identity, not path), the recorded name, and the index jrun asked
 * the kernel for. Every interface lives in a network namespace the test made; when a test needs
 * jrun's own namespace to be one of them, it runs jrun under `ip netns exec`.
 */
class HostInterfaceOwnershipIT extends BusyboxContainerTest {
    /** The range jrun chooses host-end indexes from (docs/networking.md). */
    private static final int FIRST_CHOSEN_INDEX = 1 << 24;
    private static final int END_OF_CHOSEN_INDEXES = 1 << 30;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** For each `ip` command the test runs. */
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String prefix = "jro" + ProcessHandle.current().pid() % 100000;
    private final List<String> namespaces = new ArrayList<>();
    private final List<NetnsFile> heldOpen = new ArrayList<>();
    private final List<Path> scripts = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void removeWhatTheTestMade() throws Exception {
        for (Process process : processes) {
            process.destroyForcibly().waitFor();
        }
        for (String id : jrun().run("list", "-q").out().lines().toList()) {
            jrun().run("delete", "--force", id);
        }
        for (NetnsFile file : heldOpen) {
            file.close();
        }
        for (String ns : namespaces) {
            // run, not check: clean-up goes on whatever the exit code (a test may have removed it already).
            Command.of("ip", "netns", "delete", ns).run(TIMEOUT);
        }
        for (Path script : scripts) {
            Files.deleteIfExists(script);
        }
    }

    // 1. A create killed after recording the host end, before making the pair.

    @Test
    void aKilledCreatesRecordLeavesAnInterfaceThatMerelyBearsTheNameAlone() throws Exception {
        String ns = netns("killed");
        output("ip", "-n", ns, "link", "add", "victim0", "type", "bridge");
        int victimIndex = linkIndex(ns, "victim0");
        // What a create killed in that window leaves: phase creating, its process gone, the host end
        // recorded with the index it was about to ask for, which no interface has.
        var record = new ContainerState.HostInterface("victim0", "/run/netns/" + ns, FIRST_CHOSEN_INDEX + 4711, identityOf(ns));
        writeKilledCreate("killed", record);
        assertEquals("stopped", jrun().status("killed"));
        assertEquals(new VethNetwork.Removal(VethNetwork.Removal.Outcome.NOT_ITS, "victim0 in network namespace /run/netns/" + ns
                + " has the index " + victimIndex + ", not the recorded " + record.ifindex()), tearDown(record));

        JrunProcess.Result delete = jrun().run("delete", "--force", "killed");

        assertEquals(0, delete.code(), delete.err());
        assertEquals("absent", jrun().status("killed"));
        assertEquals(victimIndex, linkIndex(ns, "victim0"), "victim0 is not the container's and is left alone");
    }

    @Test
    void withoutHostNetnsTheRecordNamesJrunsOwnNamespaceAndItsEth0IsNeverTaken() throws Exception {
        // jrun's own network namespace is the test's namespace here (ip netns exec), with an eth0 of its own.
        String ns = netns("own");
        output("ip", "-n", ns, "link", "add", "eth0", "type", "bridge");
        writeKilledCreate("owneth", new ContainerState.HostInterface("eth0", null, FIRST_CHOSEN_INDEX + 99, identityOf(ns)));

        JrunProcess.Result delete = jrunIn(ns).run("delete", "--force", "owneth");

        assertEquals(0, delete.code(), delete.err());
        assertTrue(hasLink(ns, "eth0"), "eth0 survives");
    }

    @Test
    void aRecordWithoutAChosenIndexIsNeverActedUponByName() throws Exception {
        // What a jrun without chosen indexes recorded: the name only.
        String ns = netns("noindex");
        output("ip", "-n", ns, "link", "add", "old0", "type", "veth", "peer", "name", "old0p");
        writeKilledCreate("noindex", new ContainerState.HostInterface("old0", "/run/netns/" + ns, 0, null));

        JrunProcess.Result delete = jrun().run("delete", "--force", "noindex");

        assertEquals(0, delete.code(), delete.err());
        assertTrue(hasLink(ns, "old0"));
    }

    // 2. A name reused by another container after the first one's pair is gone.

    @Test
    void deletingAStoppedContainerLeavesTheInterfaceALaterContainerMadeUnderItsName() throws Exception {
        String ns = netns("reuse");
        String veth = "    hostNetns: /run/netns/" + ns + "\n    hostInterface: shared0\n";
        create(spec("first", veth + "    containerAddresses: [10.131.0.2/24]\n"));
        assertEquals(0, jrun().run("kill", "first", "KILL").code());
        await().atMost(Duration.ofSeconds(20)).until(() -> "stopped".equals(jrun().status("first")));
        // The first container's network namespace died with its init, and its pair with it.
        await().atMost(Duration.ofSeconds(30)).until(() -> !hasLink(ns, "shared0"));

        create(spec("second", veth + "    containerAddresses: [10.131.0.3/24]\n"));
        int secondsEnd = linkIndex(ns, "shared0");
        ContainerState.HostInterface first = store().read("first").hostInterface();

        JrunProcess.Result deleteFirst = jrun().run("delete", "first");

        assertEquals(0, deleteFirst.code(), deleteFirst.err());
        assertEquals(secondsEnd, linkIndex(ns, "shared0"), "the second container keeps its host end");
        assertEquals(store().read("second").hostInterface().ifindex(), secondsEnd);
        assertNotEquals(first.ifindex(), secondsEnd);
        assertEquals(0, jrun().run("delete", "--force", "second").code());
        assertTrue(!hasLink(ns, "shared0"), "deleting its own container removes it");
    }

    // 3. The normal path.

    @Test
    void thePairIsMadeWithTheRecordedIndexAndDeleteRemovesIt() throws Exception {
        String ns = netns("normal");
        create(spec("normal", "    hostNetns: /run/netns/" + ns + "\n    hostInterface: normal0\n    containerAddresses: [10.132.0.2/24]\n"));

        ContainerState.HostInterface recorded = store().read("normal").hostInterface();
        assertNotNull(recorded);
        assertEquals("normal0", recorded.name());
        assertEquals("/run/netns/" + ns, recorded.netns());
        assertEquals(identityOf(ns), recorded.netnsIdentity());
        assertTrue(recorded.ifindex() >= FIRST_CHOSEN_INDEX && recorded.ifindex() < END_OF_CHOSEN_INDEXES, "chosen index " + recorded.ifindex());
        assertEquals(recorded.ifindex(), linkIndex(ns, "normal0"), "the kernel gave the host end the index jrun asked for");

        JrunProcess.Result delete = jrun().run("delete", "--force", "normal");

        assertEquals(0, delete.code(), delete.err());
        assertTrue(!hasLink(ns, "normal0"));
    }

    @Test
    void withoutHostNetnsTheHostEndIsMadeAndRemovedInJrunsOwnNamespace() throws Exception {
        String ns = netns("ownpair");
        JrunProcess inNs = jrunIn(ns);
        JrunProcess.Result create = inNs.run("create", spec("ownpair", "    containerAddresses: [10.133.0.2/24]\n").toString());
        assertEquals(0, create.code(), create.err());
        ContainerState.HostInterface recorded = store().read("ownpair").hostInterface();
        assertEquals(null, recorded.netns());
        assertEquals(identityOf(ns), recorded.netnsIdentity(), "jrun's own namespace at create time");
        assertEquals(recorded.ifindex(), linkIndex(ns, recorded.name()));

        JrunProcess.Result delete = inNs.run("delete", "--force", "ownpair");

        assertEquals(0, delete.code(), delete.err());
        assertTrue(!hasLink(ns, recorded.name()));
    }

    @Test
    void aPairAlreadyGoneIsFine() throws Exception {
        String ns = netns("gone");
        create(spec("gone", "    hostNetns: /run/netns/" + ns + "\n    hostInterface: gone0\n"));
        assertEquals(0, jrun().run("kill", "gone", "KILL").code());
        await().atMost(Duration.ofSeconds(30)).until(() -> !hasLink(ns, "gone0"));

        JrunProcess.Result delete = jrun().run("delete", "gone");

        assertEquals(0, delete.code(), delete.err());
        assertEquals("absent", jrun().status("gone"));
    }

    // 4. The namespace's identity.

    @Test
    void aRecordWhoseNetnsPathNowNamesAnotherNamespaceIsNotActedUpon() throws Exception {
        String ns = netns("moved");
        FileIdentity original = identityOf(ns);
        int index = FIRST_CHOSEN_INDEX + 31337;
        // The recorded namespace lives on (held open here, as a process or another mount would hold
        // it), while its path is given to a new namespace in which, at worst, a link has the
        // recorded name and the recorded index too.
        heldOpen.add(NetnsFile.open(Path.of("/run/netns", ns)));
        output("ip", "netns", "delete", ns);
        output("ip", "netns", "add", ns);
        assertNotEquals(original, identityOf(ns));
        output("ip", "-n", ns, "link", "add", "moved0", "index", Integer.toString(index), "type", "veth", "peer", "name", "moved0p");
        var record = new ContainerState.HostInterface("moved0", "/run/netns/" + ns, index, original);
        writeKilledCreate("moved", record);

        var removal = tearDown(record);
        assertEquals(VethNetwork.Removal.Outcome.NOT_ITS, removal.outcome());
        assertTrue(removal.detail().startsWith("network namespace /run/netns/" + ns + " is net:["), removal.detail());
        HostNetwork.remove(store().read("moved"));
        assertEquals(index, linkIndex(ns, "moved0"), "HostNetwork.remove left it alone");
        JrunProcess.Result delete = jrun().run("delete", "--force", "moved");

        assertEquals(0, delete.code(), delete.err());
        assertEquals(index, linkIndex(ns, "moved0"), "delete left it alone");
    }

    @Test
    void aHostNetnsReplacedBetweenRecordAndPairMakesNothingAndFailsAsCreateVeth() throws Exception {
        String ns = netns("swapped");
        String initNs = netns("swapinit");
        var veth = new JrunExtension.Veth("swap0", null, null, null, null, null, null, null, null, "/run/netns/" + ns, null);
        ContainerState.HostInterface record = HostNetwork.reserve(veth, "swapped");
        assertTrue(ChosenIndex.isChosen(record.ifindex()), "chosen index " + record.ifindex());
        assertEquals(identityOf(ns), record.netnsIdentity());
        heldOpen.add(NetnsFile.open(Path.of("/run/netns", ns)));
        output("ip", "netns", "delete", ns);
        output("ip", "netns", "add", ns);
        // A stand-in for the init, in a namespace of the test's: were the check missing, the container end would land there.
        Process init = new ProcessBuilder("ip", "netns", "exec", initNs, "sleep", "60").start();
        processes.add(init);
        FileIdentity initNetns = identityOf(initNs);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> initNetns.equals(FileIdentity.of(Path.of("/proc", Long.toString(init.pid()), "ns", "net")).orElse(null)));

        var failure = assertThrows(NetlinkException.class, () -> HostNetwork.setUp(veth, record, init.pid()));

        assertTrue(failure.operation().startsWith("create veth"), "create drops the record on this: " + failure.operation());
        assertTrue(failure.getMessage().contains("it was replaced meanwhile; nothing was made"), failure.getMessage());
        assertTrue(!hasLink(ns, "swap0"));
        assertTrue(!hasLink(initNs, "eth0"));
    }

    @Test
    void jrunRunInAnotherNamespaceThanCreateLeavesTheHostEndAlone() throws Exception {
        // Create in one namespace, delete from another: without hostNetns the record says "jrun's
        // own namespace", which is another one now, where nothing is touched.
        String ns = netns("elsewhere");
        String other = netns("other");
        JrunProcess.Result create = jrunIn(ns).run("create", spec("elsewhere", "    hostInterface: else0\n").toString());
        assertEquals(0, create.code(), create.err());
        int index = store().read("elsewhere").hostInterface().ifindex();
        output("ip", "-n", other, "link", "add", "else0", "index", Integer.toString(index), "type", "veth", "peer", "name", "else0p");

        JrunProcess.Result delete = jrunIn(other).run("delete", "--force", "elsewhere");

        assertEquals(0, delete.code(), delete.err());
        assertEquals(index, linkIndex(other, "else0"), "the look-alike in the other namespace is left alone");
        // The container's own end went with its network namespace when delete killed the init.
        await().atMost(Duration.ofSeconds(30)).until(() -> !hasLink(ns, "else0"));
    }

    private String netns(String suffix) throws Exception {
        String name = prefix + "-" + suffix;
        output("ip", "netns", "add", name);
        namespaces.add(name);
        return name;
    }

    private StateStore store() {
        return new StateStore(stateRoot);
    }

    /** A state directory as a `jrun create` leaves it when killed after recording the host end. */
    private void writeKilledCreate(String id, ContainerState.HostInterface host) throws Exception {
        Process gone = new ProcessBuilder("true").start();
        assertEquals(0, gone.waitFor());
        StateStore store = store();
        // creatorStartTime 1: never a live process's, so the creator reads as dead even if its pid is reused.
        try (ContainerLock _ = store.reserve(new ContainerState("1.2.0", id, 0, 0, gone.pid(), 1, bundle.toString(),
                bundle.resolve("rootfs").toString(), Instant.now().toString(), Map.of(), Phase.CREATING, null, host, null))) {
            // reserved with its state, as create does
        }
    }

    private Path spec(String name, String vethYaml) throws Exception {
        return Bundles.spec(bundle, name, "sleep 600", "jrun:\n  veth:\n" + vethYaml,
                "linux:\n  namespaces: [{type: pid}, {type: mount}, {type: uts}, {type: network}]\n");
    }

    private void create(Path spec) throws Exception {
        JrunProcess.Result create = jrun().run("create", spec.toString());
        assertEquals(0, create.code(), create.err());
    }

    /** bin/jrun with this test's state root, run inside network namespace ns (which becomes jrun's own). */
    private JrunProcess jrunIn(String ns) throws Exception {
        Path script = stateRoot.resolveSibling(prefix + "-jrun-in-" + ns);
        Files.writeString(script, "#!/bin/sh\nexec ip netns exec " + ns + " " + JrunProcess.REPO.resolve("bin/jrun") + " \"$@\"\n");
        scripts.add(script);
        script.toFile().setExecutable(true);
        return new JrunProcess(script, stateRoot);
    }

    private static VethNetwork.Removal tearDown(ContainerState.HostInterface host) throws Exception {
        var netns = new NetnsIdentity(host.netnsIdentity().device(), host.netnsIdentity().inode());
        return VethNetwork.tearDown(new VethNetwork.HostEnd(host.name(), host.netns(), host.ifindex(), netns));
    }

    private static FileIdentity identityOf(String ns) {
        return FileIdentity.of(Path.of("/run/netns", ns)).orElseThrow();
    }

    private static int linkIndex(String ns, String name) throws Exception {
        JsonNode links = JSON.readTree(output("ip", "-j", "-n", ns, "link", "show", "dev", name));
        return links.get(0).get("ifindex").asInt();
    }

    private static boolean hasLink(String ns, String name) throws Exception {
        return Command.of("ip", "-n", ns, "link", "show", "dev", name).run(TIMEOUT).code() == 0;
    }

    private static String output(String... command) throws Exception {
        return Command.of(command).check(TIMEOUT);
    }
}
