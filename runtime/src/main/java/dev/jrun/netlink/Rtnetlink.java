package dev.jrun.netlink;

import dev.jrun.sys.Errno;
import dev.jrun.spec.net.Cidr;
import dev.jrun.sys.NativeException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * jrun's network operations on one network namespace, over one rtnetlink socket: veth pairs,
 * addresses, routes, bridges. Every failure is a {@link NetlinkException} that names the operation,
 * the interface or address, the errno and what it means. Names are checked before anything is
 * sent. Not for concurrent use from several threads (calls are serialised).
 */
public final class Rtnetlink implements AutoCloseable {
    private static final String THIS_NAMESPACE = "this network namespace";

    private final NetlinkSocket socket;
    /** How messages name the namespace the socket acts on. */
    private final String where;
    /** The namespace the socket acts on, read when it was opened; null if that failed, and then namespaceProblem says why. */
    private final NetnsIdentity namespace;
    private final String namespaceProblem;

    private Rtnetlink(NetlinkSocket socket, String where, NetnsIdentity namespace, String namespaceProblem) {
        this.socket = socket;
        this.where = where;
        this.namespace = namespace;
        this.namespaceProblem = namespaceProblem;
    }

    /** A socket in the calling thread's network namespace (jrun's own). */
    public static Rtnetlink open() throws NetlinkException {
        return open(THIS_NAMESPACE);
    }

    /**
     * A socket in the network namespace of that file (/run/netns/NAME, /proc/PID/ns/net), opened by
     * a thread that enters it and ends: every operation then acts there, from any thread.
     */
    public static Rtnetlink openIn(Path netnsFile) throws NetlinkException {
        return NetnsThread.call(netnsFile, () -> open("network namespace " + netnsFile));
    }

    /**
     * As {@link #openIn}, or empty when the file no longer exists or no longer is a network
     * namespace: for work on what was there (removing an interface), whose namespace is gone.
     */
    public static Optional<Rtnetlink> openInIfPresent(Path netnsFile) throws NetlinkException {
        try {
            return Optional.of(openIn(netnsFile));
        } catch (NetlinkException e) {
            if (NetnsThread.namesNoNetworkNamespace(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** A socket in the network namespace of a process, e.g. a container's init. */
    public static Rtnetlink openInNetnsOf(long pid) throws NetlinkException {
        return openIn(Path.of("/proc", Long.toString(pid), "ns", "net"));
    }

    private static Rtnetlink open(String where) throws NetlinkException {
        NetlinkSocket socket;
        try {
            socket = NetlinkSocket.open();
        } catch (NativeException e) {
            throw new NetlinkException("open netlink socket in", where, e.errno(), "", e.getMessage());
        }
        // Read by the thread that made the socket: the socket acts in this thread's namespace for
        // good, so the identity is the socket's, whatever happens to the path it was opened by.
        try {
            return new Rtnetlink(socket, where, NetnsIdentity.ofCallingThread(), null);
        } catch (IOException e) {
            return new Rtnetlink(socket, where, null, e.toString());
        }
    }

    /** The network namespace this socket acts on. */
    public NetnsIdentity namespace() throws NetlinkException {
        if (namespace == null) {
            throw new NetlinkException("identify", where, 0, "", "/proc/thread-self/ns/net could not be read when the socket was opened ("
                    + namespaceProblem + "); is /proc mounted?");
        }
        return namespace;
    }

    /** How messages name that namespace: "this network namespace", "network namespace /run/netns/lab". */
    public String where() {
        return where;
    }

    /** Creates a veth pair as described; with no peer namespace the peer is created here too. */
    public void createVeth(VethPair pair) throws NetlinkException {
        String op = "create veth";
        checkName(op, pair.hostName(), pair.hostName());
        checkName(op, pair.hostName(), pair.peerName());
        for (MacAddress mac : new MacAddress[] {pair.hostMac(), pair.peerMac()}) {
            if (mac != null && mac.unicastProblem() != null) {
                throw NetlinkException.refused(op, pair.hostName(), mac.unicastProblem());
            }
        }
        try {
            exchange(op, pair.hostName(), LinkRequests.newVeth(pair), errno -> Explanations.createVeth(errno, pair, where));
        } catch (NetlinkException e) {
            if (e.errno() != Errno.EEXIST || pair.hostNetns() != null) {
                throw e;
            }
            throw e.withExplanation(whatIsTaken(pair));
        }
    }

    /** After EEXIST, a look on the host side tells which of the host name, the host index and the peer's name was taken. */
    private String whatIsTaken(VethPair pair) throws NetlinkException {
        if (findLink(pair.hostName()).isPresent()) {
            return Explanations.vethNameTaken(pair, true, where);
        }
        if (pair.hostIndex() != 0) {
            Optional<Link> holder = findLink(pair.hostIndex());
            if (holder.isPresent()) {
                return Explanations.vethIndexTaken(pair, holder.get().name(), where);
            }
        }
        return Explanations.vethNameTaken(pair, false, where);
    }

    /** The convenience form: peerNetns, mtu and the MACs may be null (left to the kernel). */
    public void createVeth(String hostName, String peerName, NetnsRef peerNetns, Integer mtu, MacAddress hostMac, MacAddress peerMac)
            throws NetlinkException {
        createVeth(VethPair.of(hostName, peerName).withPeerNetns(peerNetns).withMtu(mtu).withMacs(hostMac, peerMac));
    }

    /** The link of that name; ENODEV when there is none. */
    public Link link(String name) throws NetlinkException {
        return link("look up interface", name, name, errno -> Explanations.link(errno, name, where));
    }

    public Optional<Link> findLink(String name) throws NetlinkException {
        try {
            return Optional.of(link(name));
        } catch (NetlinkException e) {
            if (e.errno() == Errno.ENODEV) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The link with that index here, whatever its name, or empty. */
    public Optional<Link> findLink(int index) throws NetlinkException {
        try {
            return Optional.of(link("look up interface", "#" + index, LinkRef.index(index), errno -> errno == Errno.ENODEV
                    ? "there is no interface with index " + index + " in " + where : Explanations.common(errno, where)));
        } catch (NetlinkException e) {
            if (e.errno() == Errno.ENODEV) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public int linkIndex(String name) throws NetlinkException {
        return link(name).index();
    }

    public boolean isBridge(String name) throws NetlinkException {
        return link(name).isBridge();
    }

    public void setUp(String name) throws NetlinkException {
        setLink("bring up", name, LinkRequests.setUp(LinkRef.name(name), true));
    }

    public void setDown(String name) throws NetlinkException {
        setLink("bring down", name, LinkRequests.setUp(LinkRef.name(name), false));
    }

    public void setMtu(String name, int mtu) throws NetlinkException {
        String object = name + " to " + mtu;
        checkName("set MTU of", object, name);
        exchange("set MTU of", object, LinkRequests.setMtu(LinkRef.name(name), mtu), errno -> Explanations.setMtu(errno, name, mtu, where));
    }

    /** Attaches name to bridge, which must exist here and be a bridge (jrun never makes a veth the port of anything else). */
    public void setMaster(String name, String bridge) throws NetlinkException {
        String op = "attach";
        String object = name + " to bridge " + bridge;
        checkName(op, object, name);
        checkName(op, object, bridge);
        Link master = link(op, object, bridge, errno -> errno == Errno.ENODEV
                ? "there is no bridge named " + bridge + " in " + where : Explanations.common(errno, where));
        if (!master.isBridge()) {
            throw NetlinkException.refused(op, object, bridge + " is not a bridge (" + master.kind().map(kind -> "it is a " + kind + " interface")
                    .orElse("it is a device of no kind, such as lo or a physical interface") + ")");
        }
        exchange(op, object, LinkRequests.setMaster(LinkRef.name(name), master.index()), errno -> Explanations.link(errno, name, where));
    }

    public void moveToNetns(String name, NetnsRef target) throws NetlinkException {
        String object = name + " to " + target;
        checkName("move", object, name);
        exchange("move", object, LinkRequests.moveToNetns(LinkRef.name(name), target),
                errno -> Explanations.moveToNetns(errno, name, target, where));
    }

    public void addAddress(String name, Cidr address) throws NetlinkException {
        String op = "add address";
        String object = address + " to " + name;
        checkName(op, object, name);
        int index = link(op, object, name, errno -> Explanations.link(errno, name, where)).index();
        exchange(op, object, AddressRequests.newAddress(index, address), errno -> Explanations.addAddress(errno, address, name, where));
    }

    public void addRoute(IpRoute route) throws NetlinkException {
        String op = "add route";
        String object = route.toString();
        checkName(op, object, route.device());
        int index = link(op, object, route.device(), errno -> Explanations.link(errno, route.device(), where)).index();
        exchange(op, object, RouteRequests.newRoute(route, index), errno -> Explanations.addRoute(errno, route, where));
    }

    /**
     * Deletes the link with that index; for one end of a veth pair, both ends go. Only by index: a
     * name can pass to another link at any moment, an index names one link for as long as it exists
     * (and jrun proves a link is its own by the index it chose, see {@link ChosenIndex}).
     */
    public void deleteLink(int index) throws NetlinkException {
        String name = "#" + index;
        exchange("delete interface", name, LinkRequests.deleteLink(LinkRef.index(index)), errno -> errno == Errno.ENODEV
                ? "there is no interface with index " + index + " in " + where : Explanations.deleteLink(errno, name, where));
    }

    @Override
    public void close() {
        socket.close();
    }

    private void setLink(String op, String name, NetlinkRequest request) throws NetlinkException {
        checkName(op, name, name);
        exchange(op, name, request, errno -> Explanations.link(errno, name, where));
    }

    private Link link(String op, String object, String name, IntFunction<String> explain) throws NetlinkException {
        checkName(op, object, name);
        return link(op, object, LinkRef.name(name), explain);
    }

    private Link link(String op, String object, LinkRef ref, IntFunction<String> explain) throws NetlinkException {
        String name = ref.toString();
        for (NetlinkReply reply : exchange(op, object, LinkRequests.getLink(ref), explain)) {
            if (reply instanceof NetlinkReply.Data data && data.header().type() == Rtnl.RTM_NEWLINK) {
                try {
                    return Link.parse(data.payloadBuffer());
                } catch (MalformedMessageException e) {
                    throw new NetlinkException(op, object, 0, "", "the kernel's description of " + name + " did not parse: " + e.getMessage());
                }
            }
        }
        throw new NetlinkException(op, object, 0, "", "the kernel acknowledged the lookup of " + name + " but described no interface");
    }

    private static void checkName(String op, String object, String name) throws NetlinkException {
        Optional<String> problem = InterfaceName.problem(name);
        if (problem.isPresent()) {
            throw NetlinkException.refused(op, object, problem.get());
        }
    }

    /** One request and its replies; an error reply becomes the exception, worded by explain. */
    private List<NetlinkReply> exchange(String op, String object, NetlinkRequest request, IntFunction<String> explain) throws NetlinkException {
        List<NetlinkReply> replies;
        try {
            replies = socket.exchange(request);
        } catch (NativeException e) {
            throw new NetlinkException(op, object, e.errno(), "", "talking to the kernel failed: " + e.getMessage());
        } catch (MalformedMessageException e) {
            throw new NetlinkException(op, object, 0, "", "the kernel's reply did not parse: " + e.getMessage());
        }
        if (replies.getLast() instanceof NetlinkReply.Error error) {
            throw new NetlinkException(op, object, error.errno(), error.extackMessage(), explain.apply(error.errno()));
        }
        return replies;
    }
}
