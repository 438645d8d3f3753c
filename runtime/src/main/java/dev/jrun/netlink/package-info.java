/**
 * rtnetlink: how jrun sets up container networking (veth pairs, addresses, routes, bridges) by
 * talking to the kernel over an AF_NETLINK/NETLINK_ROUTE socket, with no `ip` program.
 *
 * <p>Three layers, each usable alone:
 * <ul>
 *   <li>Encoding and decoding, pure and tested byte for byte: {@link dev.jrun.netlink.LinkRequests},
 *       {@link dev.jrun.netlink.AddressRequests}, {@link dev.jrun.netlink.RouteRequests} build
 *       {@link dev.jrun.netlink.NetlinkRequest}s; {@link dev.jrun.netlink.ReplyParser} turns what the
 *       kernel sends into {@link dev.jrun.netlink.NetlinkReply} (ACK, error with the kernel's
 *       extended-ack text, data, done).</li>
 *   <li>The native part, system calls through dev.jrun.sys.Syscall, loaded only when networking is used:
 *       {@link dev.jrun.netlink.NetlinkSocket}, {@link dev.jrun.netlink.NetnsFile} and
 *       {@link dev.jrun.netlink.NetnsThread}, which runs an action on a fresh platform thread that
 *       has entered another network namespace with setns(2) and then ends.</li>
 *   <li>{@link dev.jrun.netlink.Rtnetlink}: the operations jrun needs, on the namespace its socket
 *       was opened in, failing with one {@link dev.jrun.netlink.NetlinkException} that names the
 *       operation, the interface or address, the errno and what it means.</li>
 * </ul>
 *
 * <p>A netlink socket acts on the network namespace it was created in, whichever thread uses it
 * later. So working in a container's namespace needs no thread to stay there:
 * {@code Rtnetlink.openInNetnsOf(initPid)} opens the socket from a short-lived thread inside
 * {@code /proc/PID/ns/net}, and every call on it then acts there.
 */
package dev.jrun.netlink;
