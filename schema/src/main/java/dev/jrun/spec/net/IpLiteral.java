package dev.jrun.spec.net;

import java.net.InetAddress;

/** IP address literals only: InetAddress.getByName would resolve host names through DNS. */
public final class IpLiteral {
    private IpLiteral() {}

    public static InetAddress parse(String text) {
        if (text.isEmpty() || !text.matches("[0-9A-Fa-f:.]+")) {
            throw new IllegalArgumentException("\"" + text + "\" is not an IP address");
        }
        try {
            return InetAddress.ofLiteral(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not an IP address");
        }
    }
}
