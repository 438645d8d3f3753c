package dev.jrun.spec.check;

import dev.jrun.spec.model.JrunExtension;
import dev.jrun.spec.model.Spec;
import dev.jrun.spec.net.Cidr;
import dev.jrun.spec.net.IpLiteral;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * jrun.veth: the container must have a network namespace of its own for the container end;
 * addresses are valid CIDR; each gateway and route "via" lies in a subnet of the container's
 * addresses of its family; at most one gateway per family; no address on both ends.
 */
final class VethCheck implements SemanticCheck {
    private static final String AT = "/jrun/veth";

    @Override
    public String name() {
        return "veth";
    }

    @Override
    public void check(Spec spec, CheckContext context, Findings findings) {
        JrunExtension.Veth veth = spec.jrun() == null ? null : spec.jrun().veth();
        if (veth == null) {
            return;
        }
        if (!Namespaces.isPrivate(spec, "network")) {
            findings.error(AT, "a veth pair needs the container to have its own network namespace",
                    "{type: network} in /linux/namespaces (new, or joined by path)", "no network namespace");
        }
        checkHostSide(veth, context, findings);
        List<Cidr> containerSubnets = parseAll(AT + "/containerAddresses", veth.containerAddresses(), findings);
        parseAll(AT + "/hostAddresses", veth.hostAddresses(), findings);
        for (int i = 0; i < veth.hostAddresses().size(); i++) {
            var host = Cidr.tryParse(veth.hostAddresses().get(i));
            if (host.isPresent() && containerSubnets.stream().anyMatch(c -> c.address().equals(host.get().address()))) {
                findings.error(AT + "/hostAddresses/" + i, "the same address is on both ends of the pair",
                        "different addresses for host and container", IpLiteral.format(host.get().address()));
            }
        }
        Map<String, Integer> gatewayPerFamily = new HashMap<>();
        for (int i = 0; i < veth.gateways().size(); i++) {
            String at = AT + "/gateways/" + i;
            InetAddress gateway = parseAddress(at, veth.gateways().get(i), findings);
            if (gateway == null) {
                continue;
            }
            Integer earlier = gatewayPerFamily.putIfAbsent(Cidr.family(gateway), i);
            if (earlier != null) {
                findings.error(at, "a second " + Cidr.family(gateway) + " gateway (the first is " + AT + "/gateways/" + earlier + ")",
                        "at most one gateway per address family", Findings.quoted(veth.gateways().get(i)));
            }
            requireReachable(at, gateway, containerSubnets, "gateway", findings);
        }
        for (int i = 0; i < veth.routes().size(); i++) {
            JrunExtension.Route route = veth.routes().get(i);
            String at = AT + "/routes/" + i;
            Cidr destination = parseCidr(at + "/destination", route.destination(), findings);
            if (route.via() == null) {
                continue;
            }
            InetAddress via = parseAddress(at + "/via", route.via(), findings);
            if (via == null) {
                continue;
            }
            if (destination != null && destination.isIpv4() != (via instanceof java.net.Inet4Address)) {
                findings.error(at + "/via", "the route's destination and gateway are of different address families",
                        Cidr.family(destination.address()) + " like the destination " + destination, Findings.quoted(route.via()));
            } else {
                requireReachable(at + "/via", via, containerSubnets, "route gateway", findings);
            }
        }
    }

    /** The host end's namespace must be a network namespace; a bridge must exist where the host end goes. */
    private static void checkHostSide(JrunExtension.Veth veth, CheckContext context, Findings findings) {
        if (veth.hostNetns() != null) {
            java.nio.file.Path path = java.nio.file.Path.of(veth.hostNetns());
            java.util.Optional<String> type;
            try {
                type = java.nio.file.Files.exists(path) ? context.host().namespaceTypeOf(path) : java.util.Optional.empty();
            } catch (java.nio.file.AccessDeniedException e) {
                findings.error(AT + "/hostNetns", "permission denied reading the namespace file", "a network namespace file jrun may open",
                        Findings.quoted(veth.hostNetns()));
                return;
            }
            if (!java.nio.file.Files.exists(path)) {
                findings.error(AT + "/hostNetns", "no such network namespace file", "e.g. /run/netns/NAME (ip netns add NAME)",
                        Findings.quoted(veth.hostNetns()));
            } else if (!type.equals(java.util.Optional.of("net"))) {
                findings.error(AT + "/hostNetns", "not a network namespace file", "a \"net\" namespace file",
                        type.map(t -> "a \"" + t + "\" namespace").orElse("not a namespace file"));
            }
        } else if (veth.bridge() != null && !context.host().isBridge(veth.bridge())) {
            // With hostNetns the bridge lives in that namespace, which this process cannot see; create checks it there.
            findings.error(AT + "/bridge", "no bridge of that name on the host", "an existing bridge (ip link add NAME type bridge)",
                    Findings.quoted(veth.bridge()));
        }
    }

    private static void requireReachable(String at, InetAddress gateway, List<Cidr> subnets, String what, Findings findings) {
        boolean reachable = subnets.stream().anyMatch(subnet -> subnet.contains(gateway));
        if (!reachable) {
            List<String> sameFamily = subnets.stream().filter(s -> s.address().getClass() == gateway.getClass()).map(Cidr::toString).toList();
            findings.error(at, "the " + what + " is outside every subnet of the container's addresses, so it cannot be reached",
                    sameFamily.isEmpty() ? "a " + Cidr.family(gateway) + " address in /jrun/veth/containerAddresses first"
                            : "an address inside " + String.join(" or ", sameFamily),
                    IpLiteral.format(gateway));
        }
    }

    private static List<Cidr> parseAll(String at, List<String> texts, Findings findings) {
        List<Cidr> parsed = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            Cidr cidr = parseCidr(at + "/" + i, texts.get(i), findings);
            if (cidr != null) {
                parsed.add(cidr);
            }
        }
        return parsed;
    }

    private static Cidr parseCidr(String at, String text, Findings findings) {
        try {
            return Cidr.parse(text);
        } catch (IllegalArgumentException e) {
            findings.error(at, "invalid CIDR address: " + e.getMessage(), "address/prefix, e.g. 10.88.0.2/24 or fd00::2/64",
                    Findings.quoted(text));
            return null;
        }
    }

    private static InetAddress parseAddress(String at, String text, Findings findings) {
        try {
            return IpLiteral.parse(text);
        } catch (IllegalArgumentException e) {
            findings.error(at, "invalid IP address", "an IPv4 or IPv6 address without prefix, e.g. 10.88.0.1", Findings.quoted(text));
            return null;
        }
    }
}
