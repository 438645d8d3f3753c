package dev.jrun.state;

import java.util.Optional;
import java.util.regex.Pattern;

/** Container ids name directories, so they are limited as runc limits them: letters, digits, "_", "+", "-", "." . */
public final class ContainerIds {
    public static final int MAX_LENGTH = 255;
    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9_+.\\-]+");

    private ContainerIds() {}

    /** Why id is not acceptable, or empty when it is. */
    public static Optional<String> problem(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.of("the container id is empty");
        }
        if (id.length() > MAX_LENGTH) {
            return Optional.of("the container id is " + id.length() + " characters long; at most " + MAX_LENGTH + " are allowed");
        }
        if (id.equals(".") || id.equals("..")) {
            return Optional.of("the container id \"" + id + "\" is not allowed");
        }
        if (!ALLOWED.matcher(id).matches()) {
            return Optional.of("the container id \"" + id + "\" may only hold letters, digits, '_', '+', '-' and '.'");
        }
        return Optional.empty();
    }
}
