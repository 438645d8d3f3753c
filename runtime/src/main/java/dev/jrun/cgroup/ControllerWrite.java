package dev.jrun.cgroup;

import java.nio.charset.StandardCharsets;

/**
 * One value to write into one controller file of a container's cgroup.
 *
 * @param controller the controller the file belongs to ("memory", "cpu", …): on cgroup v1 it picks the hierarchy's
 *                   directory; on v2 every file is in the one directory
 * @param file       the file's name in the cgroup directory, such as memory.max
 * @param value      exactly what is written, with one write(2) and no newline
 * @param source     the JSON pointer of the spec value it comes from, named when the kernel refuses it
 */
public record ControllerWrite(String controller, String file, String value, String source) {
    public byte[] bytes() {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return file + "=" + value;
    }
}
