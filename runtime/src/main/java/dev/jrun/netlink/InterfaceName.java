package dev.jrun.netlink;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The kernel's rule for interface names (dev_valid_name): 1 to 15 bytes (IFNAMSIZ 16 with the NUL),
 * not "." or "..", no '/', ':' or whitespace. Checked before any request, so a bad name is reported
 * as what it is rather than as the kernel's EINVAL.
 */
public final class InterfaceName {
    public static final int MAX_BYTES = 15;

    private InterfaceName() {}

    /** What is wrong with name, or empty when the kernel will accept it. */
    public static Optional<String> problem(String name) {
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes == 0) {
            return Optional.of("an interface name cannot be empty");
        }
        if (bytes > MAX_BYTES) {
            return Optional.of("interface name \"" + name + "\" is " + bytes + " bytes long; Linux allows at most " + MAX_BYTES);
        }
        if (name.equals(".") || name.equals("..")) {
            return Optional.of("\"" + name + "\" cannot be an interface name");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == ':' || Character.isWhitespace(c) || c == 0) {
                return Optional.of("interface name \"" + name + "\" contains " + describe(c) + ", which Linux does not allow in interface names");
            }
        }
        return Optional.empty();
    }

    private static String describe(char c) {
        return switch (c) {
            case '/' -> "'/'";
            case ':' -> "':'";
            case 0 -> "a NUL byte";
            default -> "whitespace";
        };
    }
}
