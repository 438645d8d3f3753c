package dev.jrun.netlink;

import dev.jrun.sys.Errno;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jrun.spec.net.Cidr;
import dev.jrun.spec.net.IpLiteral;
import org.junit.jupiter.api.Test;

/** How failures read: operation, object, errno, what it means here, the kernel's words. */
class NetlinkExceptionTest {

    @Test
    void errnoThenExplanation() {
        assertEquals("create veth veth-abc: EEXIST (file exists): interface veth-abc already exists",
                new NetlinkException("create veth", "veth-abc", 17, "", "interface veth-abc already exists").getMessage());
    }

    @Test
    void kernelTextFollowsTheExplanationOrStandsInForIt() {
        assertEquals("set MTU of e to 10: EINVAL (invalid argument): MTU 10 is outside the range e accepts (kernel: mtu less than device minimum)",
                new NetlinkException("set MTU of", "e to 10", 22, "mtu less than device minimum",
                        Explanations.setMtu(22, "e", 10, "this network namespace")).getMessage());
        assertEquals("create veth z: EINVAL (invalid argument): Attribute failed policy validation",
                new NetlinkException("create veth", "z", 22, "Attribute failed policy validation", null).getMessage());
        assertEquals("create veth z: EINVAL (invalid argument)", new NetlinkException("create veth", "z", 22, "", null).getMessage());
    }

    @Test
    void refusalsHaveNoErrno() {
        NetlinkException refused = NetlinkException.refused("bring up", "a/b", "interface name \"a/b\" contains '/'");
        assertEquals("bring up a/b: interface name \"a/b\" contains '/'", refused.getMessage());
        assertEquals(0, refused.errno());
    }

    @Test
    void networkErrnosHaveNames() {
        assertEquals("ENETUNREACH (network is unreachable)", Errno.describe(101));
        assertEquals("ENODEV (no such device)", Errno.describe(19));
        assertEquals("EEXIST (file exists)", Errno.describe(17));
        assertEquals("errno 4095", Errno.describe(4095));
    }

    @Test
    void explanationsNameTheRequest() {
        String here = "network namespace /run/netns/lab";
        assertEquals("there is no interface named eth9 in network namespace /run/netns/lab", Explanations.link(19, "eth9", here));
        assertEquals("changing interfaces needs CAP_NET_ADMIN over network namespace /run/netns/lab (run jrun as root)",
                Explanations.link(1, "eth0", here));
        assertEquals("a default IPv6 route already exists in the main table",
                Explanations.addRoute(17, IpRoute.defaultVia(IpLiteral.parse("fd00::1"), "eth0", null), here));
        assertEquals("eth0 is down; bring it up before routing through it",
                Explanations.addRoute(100, IpRoute.defaultVia(IpLiteral.parse("10.0.0.1"), "eth0", null), here));
        assertEquals(null, Explanations.addRoute(22, new IpRoute(Cidr.parse("10.1.0.0/16"), null, "eth0", null), here));
        assertEquals("10.1.2.3/16 has bits set past its prefix length: write the network, e.g. 10.1.0.0/16 rather than 10.1.2.3/16",
                Explanations.addRoute(22, new IpRoute(Cidr.parse("10.1.2.3/16"), null, "eth0", null), here));
        assertEquals("MTU 20 is outside the range veth accepts (68 to 65535)",
                Explanations.createVeth(22, VethPair.of("h", "p").withMtu(20), here));
        assertEquals("the peer's name p is taken in network namespace /run/netns/c",
                Explanations.vethNameTaken(VethPair.of("h", "p").withPeerNetns(NetnsRef.fd(5, "/run/netns/c")), false, here));
        assertEquals("there is no process with pid 4194305", Explanations.moveToNetns(3, "eth0", NetnsRef.pid(4194305), here));
    }
}
