package dev.jrun.netlink;

/**
 * How a request names the link it changes: by name (IFLA_IFNAME, index 0) or by index (ifi_index).
 * Never both: a name beside an index would rename the link.
 */
public sealed interface LinkRef {

    static LinkRef name(String name) {
        return new Name(name);
    }

    static LinkRef index(int index) {
        return new Index(index);
    }

    record Name(String name) implements LinkRef {
        @Override
        public String toString() {
            return name;
        }
    }

    record Index(int index) implements LinkRef {
        @Override
        public String toString() {
            return "interface #" + index;
        }
    }
}
