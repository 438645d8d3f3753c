package dev.jrun.spec.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads facts about the running system that some checks need. */
public final class HostView {
    private static final Pattern NSFS_NAME = Pattern.compile("([a-z_]+):\\[(\\d+)]");

    /**
     * The kernel's type name ("net", "mnt", "pid", ...) of the namespace file at path, or empty when
     * it is not one. Works for /proc/PID/ns/* links (their link text) and for namespace files bind-mounted
     * elsewhere, e.g. by `ip netns add` (their mount's root in /proc/self/mountinfo).
     *
     * @throws java.nio.file.AccessDeniedException when the file may not be inspected (another user's /proc/PID/ns)
     */
    public Optional<String> namespaceTypeOf(Path path) throws java.nio.file.AccessDeniedException {
        try {
            if (Files.isSymbolicLink(path)) {
                Matcher m = NSFS_NAME.matcher(Files.readSymbolicLink(path).toString());
                if (m.matches()) {
                    return Optional.of(m.group(1));
                }
            }
            String target = path.toRealPath().toString();
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                Optional<String> type = nsfsMountType(line, target);
                if (type.isPresent()) {
                    return type;
                }
            }
        } catch (java.nio.file.AccessDeniedException e) {
            throw e;
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** True when a network interface of that name exists in this process's network namespace and is a bridge. */
    public boolean isBridge(String interfaceName) {
        if (interfaceName.contains("/") || interfaceName.equals(".") || interfaceName.equals("..")) {
            return false;
        }
        return Files.isDirectory(Path.of("/sys/class/net", interfaceName, "bridge"));
    }

    /** mountinfo: "id parent maj:min root mountpoint options [optional...] - fstype source superoptions". */
    private static Optional<String> nsfsMountType(String line, String mountPoint) {
        String[] fields = line.split(" ");
        int separator = java.util.Arrays.asList(fields).indexOf("-");
        if (fields.length < 5 || separator < 0 || separator + 1 >= fields.length || !fields[separator + 1].equals("nsfs")) {
            return Optional.empty();
        }
        if (!unescape(fields[4]).equals(mountPoint)) {
            return Optional.empty();
        }
        Matcher m = NSFS_NAME.matcher(fields[3]);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** mountinfo escapes space, tab, newline and backslash as \ooo octal. */
    private static String unescape(String field) {
        var out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
