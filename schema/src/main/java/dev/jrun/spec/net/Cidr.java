package dev.jrun.spec.net;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Optional;

/** An address with a prefix length, "10.88.0.2/24" or "fd00::2/64". Parsing never touches DNS. */
public record Cidr(InetAddress address, int prefixLength) {

    public Cidr {
        int max = maxPrefix(address);
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("prefix /" + prefixLength + " is out of range for " + family(address) + " (0.." + max + ")");
        }
    }

    /** Parses CIDR notation; the message of the exception says what is wrong. */
    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("no prefix length: write it as address/prefix, e.g. 10.88.0.2/24");
        }
        InetAddress address = IpLiteral.parse(text.substring(0, slash));
        String prefix = text.substring(slash + 1);
        if (!prefix.matches("[0-9]{1,3}")) {
            throw new IllegalArgumentException("prefix length \"" + prefix + "\" is not a number");
        }
        return new Cidr(address, Integer.parseInt(prefix));
    }

    public static Optional<Cidr> tryParse(String text) {
        try {
            return Optional.of(parse(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public boolean isIpv4() {
        return address instanceof Inet4Address;
    }

    /** True when other is in this subnet (same family, same leading prefixLength bits). */
    public boolean contains(InetAddress other) {
        if (other.getClass() != address.getClass()) {
            return false;
        }
        int bits = maxPrefix(address);
        BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                .xor(BigInteger.ONE.shiftLeft(bits - prefixLength).subtract(BigInteger.ONE));
        return new BigInteger(1, address.getAddress()).and(mask).equals(new BigInteger(1, other.getAddress()).and(mask));
    }

    public static String family(InetAddress address) {
        return address instanceof Inet4Address ? "IPv4" : "IPv6";
    }

    private static int maxPrefix(InetAddress address) {
        return address instanceof Inet4Address ? 32 : 128;
    }

    @Override
    public String toString() {
        return IpLiteral.format(address) + "/" + prefixLength;
    }
}
