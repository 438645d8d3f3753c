package dev.jrun.netlink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jrun.testing.Command;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Network namespaces a test makes for itself with `ip netns add` (so nothing touches the machine's
 * own network), removed by their exact names; and `ip` run to check what the kernel holds.
 */
final class TestNamespaces {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private final List<String> created = new ArrayList<>();

    /** Makes jrun-nl-PID-suffix and returns its name. */
    String add(String suffix) throws Exception {
        String name = "jrun-nl-" + ProcessHandle.current().pid() + "-" + suffix;
        run("ip", "netns", "add", name);
        created.add(name);
        return name;
    }

    static Path file(String name) {
        return Path.of("/run/netns", name);
    }

    static Command.Result exec(String... command) throws IOException, InterruptedException {
        return Command.of(command).run(TIMEOUT);
    }

    static String run(String... command) throws IOException, InterruptedException {
        return Command.of(command).check(TIMEOUT);
    }

    /** `ip -n NETNS -j ARGS…` parsed. */
    static JsonNode ipJson(String netns, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip", "-n", netns, "-j"));
        command.addAll(List.of(args));
        return JSON.readTree(run(command.toArray(String[]::new)));
    }

    /** Whether a link of that name exists in netns. */
    static boolean hasLink(String netns, String name) throws IOException, InterruptedException {
        return exec("ip", "-n", netns, "link", "show", "dev", name).code() == 0;
    }

    /** Deletes every namespace this made, by name; their interfaces go with them. */
    void removeAll() throws IOException, InterruptedException {
        for (String name : created.reversed()) {
            exec("ip", "netns", "del", name);
        }
        created.clear();
    }
}
