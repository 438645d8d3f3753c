package dev.jrun.netlink;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** A 48-bit Ethernet address, "02:00:00:00:00:01". */
public final class MacAddress {
    private static final Pattern TEXT = Pattern.compile("[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}");
    private final byte[] octets;

    private MacAddress(byte[] octets) {
        this.octets = octets;
    }

    public static MacAddress parse(String text) {
        if (!TEXT.matcher(text).matches()) {
            throw new IllegalArgumentException("\"" + text + "\" is not a MAC address: write six two-digit hex octets separated by colons, e.g. 02:00:00:00:00:01");
        }
        return new MacAddress(HexFormat.ofDelimiter(":").parseHex(text));
    }

    public static MacAddress ofOctets(byte[] octets) {
        if (octets.length != 6) {
            throw new IllegalArgumentException("a MAC address has 6 octets, not " + octets.length);
        }
        return new MacAddress(octets.clone());
    }

    public byte[] octets() {
        return octets.clone();
    }

    /**
     * The kernel refuses multicast and all-zero addresses for an Ethernet device (EADDRNOTAVAIL);
     * saying which address and why beats the bare errno.
     */
    public String unicastProblem() {
        if ((octets[0] & 1) != 0) {
            return "MAC address " + this + " is a multicast address (lowest bit of the first octet set); use a unicast one such as 02:00:00:00:00:01";
        }
        if (Arrays.equals(octets, new byte[6])) {
            return "MAC address " + this + " is all zeros; use a unicast one such as 02:00:00:00:00:01";
        }
        return null;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MacAddress that && Arrays.equals(octets, that.octets);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(octets);
    }

    @Override
    public String toString() {
        return HexFormat.ofDelimiter(":").formatHex(octets);
    }
}
