package dev.jrun.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * A hook program and the log it writes, for the hook tests. The program is a POSIX shell script that appends one
 * line per run to the log — its kind (first argument), its pid, the time, its mount and pid namespaces, the
 * HOOK_MARK variable of its env and the state it read on stdin — then does what its third argument asks. The
 * directory is bound into the container at {@link #INSIDE}, so that the hooks resolved in the container
 * (startContainer) find the same script and log there; all others use the host's path.
 */
final class HookRecorder {
    /** Where the container sees the directory (the test rootfs has an empty /mnt). */
    static final String INSIDE = "/mnt";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCRIPT = """
            #!/bin/sh
            # hook.sh KIND LOG [ACTION]: appends one line about this run to LOG, then does ACTION:
            #   fail:N  says boom on stderr and exits N     sleep:N  sleeps N seconds (as this pid)
            #   deaf    never reads stdin                   noisy    prints a marker on stdout and stderr
            kind=$1 log=$2 action=$3
            if [ "$action" = deaf ]; then state='{}'; else state=$(cat); fi
            echo "$kind|$$|$(date +%s)|$(readlink /proc/self/ns/mnt)|$(readlink /proc/self/ns/pid)|$HOOK_MARK|$state" >> "$log"
            case $action in
              fail:*) echo "hook $kind says boom" >&2; exit "${action#fail:}" ;;
              sleep:*) exec sleep "${action#sleep:}" ;;
              noisy) echo "hook-output-marker $kind stdout"; echo "hook-output-marker $kind stderr" >&2 ;;
            esac
            exit 0
            """;

    private final Path dir;

    private HookRecorder(Path dir) {
        this.dir = dir;
    }

    static HookRecorder in(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path script = dir.resolve("hook.sh");
        Files.writeString(script, SCRIPT, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new HookRecorder(dir);
    }

    /** One run of a hook, as its line in the log says. */
    record Run(String kind, long pid, long time, String mountNamespace, String pidNamespace, String mark, JsonNode state) {}

    /** The runs so far, in the order they were logged. */
    List<Run> runs() throws IOException {
        Path log = dir.resolve("log");
        List<Run> runs = new ArrayList<>();
        if (!Files.exists(log)) {
            return runs;
        }
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            String[] f = line.split("\\|", 7);
            runs.add(new Run(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]), f[3], f[4], f[5], JSON.readTree(f[6])));
        }
        return runs;
    }

    List<String> kinds() throws IOException {
        return runs().stream().map(Run::kind).toList();
    }

    /** The config with the bind of this directory at {@link #INSIDE} and these hooks under /hooks. */
    Bundle.Builder config(Bundle.Builder config, Hook... hooks) {
        config.mount(INSIDE, "bind", dir.toString(), "bind");
        return config.edit(root -> {
            ObjectNode section = root.putObject("hooks");
            for (Hook hook : hooks) {
                ArrayNode list = section.has(hook.kind()) ? (ArrayNode) section.get(hook.kind()) : section.putArray(hook.kind());
                list.add(node(hook));
            }
        });
    }

    /**
     * A hook of a kind, recorded as name (its first argument: several of one kind tell themselves apart by it),
     * with an action ("" for none) and a timeout in seconds (0 for none).
     */
    record Hook(String kind, String name, String action, int timeout) {
        static Hook of(String kind) {
            return new Hook(kind, kind, "", 0);
        }

        Hook doing(String what) {
            return new Hook(kind, name, what, timeout);
        }

        Hook named(String other) {
            return new Hook(kind, other, action, timeout);
        }

        Hook timeout(int seconds) {
            return new Hook(kind, name, action, seconds);
        }
    }

    private ObjectNode node(Hook hook) {
        // startContainer resolves its path in the container (config.md); every other kind in the runtime's namespace.
        boolean inside = hook.kind().equals("startContainer");
        String base = inside ? INSIDE : dir.toString();
        ObjectNode node = JSON.createObjectNode().put("path", base + "/hook.sh");
        ArrayNode args = node.putArray("args").add("hook.sh").add(hook.name()).add(base + "/log");
        if (!hook.action().isEmpty()) {
            args.add(hook.action());
        }
        node.putArray("env").add("PATH=/usr/sbin:/usr/bin:/sbin:/bin").add("HOOK_MARK=mark-" + hook.name());
        if (hook.timeout() > 0) {
            node.put("timeout", hook.timeout());
        }
        return node;
    }
}
