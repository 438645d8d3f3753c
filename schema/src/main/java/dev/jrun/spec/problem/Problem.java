package dev.jrun.spec.problem;

import java.util.Objects;

/**
 * One thing wrong with a spec, with everything a person needs to fix it.
 *
 * @param rule     the named rule that found it, e.g. {@code schema.enum} or {@code check.namespace-unique}
 * @param file     the spec file as given on the command line, or null when not from a file
 * @param position where in the file, or null when the pointer has no place in it (e.g. a missing key's parent)
 * @param pointer  JSON pointer (RFC 6901) of the offending value; "" is the whole document
 * @param message  what is wrong, in words
 * @param expected what would have been right, or null
 * @param found    the value found, rendered briefly, or null
 */
public record Problem(
        Severity severity,
        String rule,
        String file,
        Position position,
        String pointer,
        String message,
        String expected,
        String found) {

    public Problem {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(pointer, "pointer");
        Objects.requireNonNull(message, "message");
    }

    public static Problem error(String rule, String pointer, String message, String expected, String found) {
        return new Problem(Severity.ERROR, rule, null, null, pointer, message, expected, found);
    }

    public static Problem warning(String rule, String pointer, String message, String expected, String found) {
        return new Problem(Severity.WARNING, rule, null, null, pointer, message, expected, found);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    public Problem locatedAt(String file, Position position) {
        return new Problem(severity, rule, file, position, pointer, message, expected, found);
    }

    /** {@code spec.yaml:12:7: error: /linux/namespaces/2/type: unknown namespace type (expected: ...; found: "x") [schema.enum]} */
    public String render() {
        var out = new StringBuilder();
        if (file != null) {
            out.append(file).append(':');
            if (position != null) {
                out.append(position).append(':');
            }
            out.append(' ');
        }
        out.append(severity.label()).append(": ");
        // A key may hold control characters (the nul rule reports such keys); never print them raw.
        out.append(pointer.isEmpty() ? "(document)" : Printable.escaped(pointer)).append(": ").append(message);
        if (expected != null || found != null) {
            out.append(" (");
            if (expected != null) {
                out.append("expected: ").append(expected);
            }
            if (expected != null && found != null) {
                out.append("; ");
            }
            if (found != null) {
                out.append("found: ").append(found);
            }
            out.append(')');
        }
        out.append(" [").append(rule).append(']');
        return out.toString();
    }
}
