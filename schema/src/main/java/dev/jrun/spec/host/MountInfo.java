package dev.jrun.spec.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One line of /proc/self/mountinfo (proc(5)):
 * "id parent maj:min root mountpoint options [optional...] - fstype source superoptions".
 */
public record MountInfo(String root, String mountPoint, List<String> options, String fstype, List<String> superOptions) {

    /** The mounts this process sees, in mount order; empty when /proc is not readable. */
    public static List<MountInfo> readOwn() {
        try {
            return parse(Files.readAllLines(Path.of("/proc/self/mountinfo")));
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The lines of a mountinfo file; lines that are not mountinfo lines are passed over. */
    public static List<MountInfo> parse(List<String> lines) {
        List<MountInfo> mounts = new ArrayList<>();
        for (String line : lines) {
            String[] fields = line.split(" ");
            int separator = Arrays.asList(fields).indexOf("-");
            if (fields.length < 6 || separator < 6 || separator + 3 > fields.length) {
                continue;
            }
            mounts.add(new MountInfo(unescape(fields[3]), unescape(fields[4]), List.of(fields[5].split(",")), fields[separator + 1],
                    separator + 3 < fields.length ? List.of(fields[separator + 3].split(",")) : List.of()));
        }
        return mounts;
    }

    /** mountinfo writes space, tab, newline and backslash as \ooo octal. */
    static String unescape(String field) {
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
