package dev.jrun.spec.problem;

/**
 * Spec text as a problem may show it. Problems are printed to terminals, where a raw NUL is invisible and a
 * raw escape sequence could rewrite what the user sees, so control characters are shown as JSON escapes.
 */
public final class Printable {
    private Printable() {}

    /** The text in quotes, with control characters escaped as in JSON. */
    public static String quoted(String text) {
        return '"' + escaped(text) + '"';
    }

    /** Control characters as JSON writes them: newline as backslash-n, U+0000 as backslash-u0000. */
    public static String escaped(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (Character.isISOControl(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
