package dev.jrun.spec.model;

import java.util.List;

/** The top-level "jrun" key: jrun's own additions to the OCI config, documented in docs/spec.md. */
public record JrunExtension(Veth veth) {

    /** One veth pair: the host end stays outside (or goes to hostNetns), the container end goes into the container's network namespace. */
    public record Veth(
            String hostInterface,
            String containerInterface,
            Integer mtu,
            String hostMac,
            String containerMac,
            List<String> containerAddresses,
            List<String> hostAddresses,
            List<String> gateways,
            List<Route> routes,
            String hostNetns,
            String bridge) {

        public static final String DEFAULT_CONTAINER_INTERFACE = "eth0";

        public Veth {
            containerAddresses = Immutables.list(containerAddresses);
            hostAddresses = Immutables.list(hostAddresses);
            gateways = Immutables.list(gateways);
            routes = Immutables.list(routes);
        }

        public String containerInterfaceOrDefault() {
            return containerInterface == null ? DEFAULT_CONTAINER_INTERFACE : containerInterface;
        }
    }

    public record Route(String destination, String via, Long metric) {}
}
