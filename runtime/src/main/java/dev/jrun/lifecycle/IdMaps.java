package dev.jrun.lifecycle;

import dev.jrun.spec.model.IdMapping;
import dev.jrun.spec.model.Spec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Writes a new user namespace's maps from the parent namespace (user_namespaces(7)). jrun runs as
 * root, so setgroups stays "allow" and the container may call setgroups(2); each map is written in
 * one write(2), as the kernel requires.
 */
final class IdMaps {
    private IdMaps() {}

    static void write(long pid, Spec spec) throws IOException {
        Path proc = Path.of("/proc", Long.toString(pid));
        writeOnce(proc.resolve("uid_map"), render(spec.linux().uidMappings()));
        writeOnce(proc.resolve("gid_map"), render(spec.linux().gidMappings()));
    }

    static String render(List<IdMapping> mappings) {
        var out = new StringBuilder();
        for (IdMapping m : mappings) {
            out.append(m.containerID()).append(' ').append(m.hostID()).append(' ').append(m.size()).append('\n');
        }
        return out.toString();
    }

    private static void writeOnce(Path file, String content) throws IOException {
        Files.write(file, content.getBytes(StandardCharsets.US_ASCII), StandardOpenOption.WRITE);
    }
}
