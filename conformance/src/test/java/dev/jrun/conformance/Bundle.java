package dev.jrun.conformance;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A bundle: a directory holding a runc-format config.json whose root is the shared rootfs (by
 * absolute path). The config has the shape of {@code runc spec}'s (specs/runc-spec.json) cut down
 * to what a test needs: {@code terminal: false}, the test's args, pid and mount namespaces, and the
 * mounts /proc, a tmpfs /dev and /dev/null bound from the host (busybox sh needs /dev/null for
 * background jobs, and a runtime need not populate /dev). Tests add what they check.
 *
 * @param dir the bundle directory
 */
record Bundle(Path dir) {
    private static final ObjectMapper JSON = new ObjectMapper();

    Path config() {
        return dir.resolve("config.json");
    }

    static Builder builder(Path rootfs) {
        return new Builder(rootfs);
    }

    static final class Builder {
        private final ObjectNode config = JSON.createObjectNode();

        private Builder(Path rootfs) {
            config.put("ociVersion", "1.0.2");
            ObjectNode process = config.putObject("process");
            process.put("terminal", false);
            process.putObject("user").put("uid", 0).put("gid", 0);
            process.putArray("args").add("true");
            process.putArray("env").add("PATH=/bin:/sbin:/usr/bin:/usr/sbin");
            process.put("cwd", "/");
            config.putObject("root").put("path", rootfs.toString());
            ArrayNode mounts = config.putArray("mounts");
            mounts.add(mountNode("/proc", "proc", "proc"));
            mounts.add(mountNode("/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k"));
            mounts.add(mountNode("/dev/null", "bind", "/dev/null", "bind"));
            config.putObject("linux").putArray("namespaces").add(namespace("pid")).add(namespace("mount"));
        }

        /** process.args. */
        Builder args(String... args) {
            ArrayNode list = process().putArray("args");
            for (String arg : args) {
                list.add(arg);
            }
            return this;
        }

        /** process.args running a busybox sh script. */
        Builder sh(String script) {
            return args("sh", "-c", script);
        }

        /** Adds namespaces of these types (new ones: no path). */
        Builder namespaces(String... types) {
            ArrayNode list = (ArrayNode) config.path("linux").path("namespaces");
            for (String type : types) {
                list.add(namespace(type));
            }
            return this;
        }

        /** Leaves out the namespace of this type: the container shares the runtime's. */
        Builder withoutNamespace(String type) {
            ArrayNode list = (ArrayNode) config.path("linux").path("namespaces");
            for (int i = list.size() - 1; i >= 0; i--) {
                if (list.get(i).path("type").asText().equals(type)) {
                    list.remove(i);
                }
            }
            return this;
        }

        /** Adds a mount after the default ones. */
        Builder mount(String destination, String type, String source, String... options) {
            ((ArrayNode) config.get("mounts")).add(mountNode(destination, type, source, options));
            return this;
        }

        /** Leaves out the default mount of this destination. */
        Builder withoutMount(String destination) {
            ArrayNode mounts = (ArrayNode) config.get("mounts");
            for (int i = mounts.size() - 1; i >= 0; i--) {
                if (mounts.get(i).path("destination").asText().equals(destination)) {
                    mounts.remove(i);
                }
            }
            return this;
        }

        /** Adds these entries (NAME=VALUE) to process.env. */
        Builder env(String... entries) {
            ArrayNode env = (ArrayNode) process().get("env");
            for (String entry : entries) {
                env.add(entry);
            }
            return this;
        }

        /**
         * Adds a new user namespace whose uidMappings and gidMappings each map container id 0 to this
         * host id, for size ids.
         */
        Builder userNamespace(long hostId, long size) {
            namespaces("user");
            ObjectNode linux = (ObjectNode) config.get("linux");
            for (String field : List.of("uidMappings", "gidMappings")) {
                linux.putArray(field).addObject().put("containerID", 0).put("hostID", hostId).put("size", size);
            }
            return this;
        }

        Builder hostname(String hostname) {
            config.put("hostname", hostname);
            return this;
        }

        Builder annotations(Map<String, String> annotations) {
            ObjectNode node = config.putObject("annotations");
            annotations.forEach(node::put);
            return this;
        }

        /** Any other change, on the config tree itself. */
        Builder edit(Consumer<ObjectNode> change) {
            change.accept(config);
            return this;
        }

        private ObjectNode process() {
            return (ObjectNode) config.get("process");
        }

        /** Writes dir/config.json (dir is created). */
        Bundle writeTo(Path dir) throws IOException {
            Files.createDirectories(dir);
            JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("config.json").toFile(), config);
            return new Bundle(dir);
        }

        private static ObjectNode mountNode(String destination, String type, String source, String... options) {
            ObjectNode mount = JSON.createObjectNode().put("destination", destination).put("type", type).put("source", source);
            if (options.length > 0) {
                ArrayNode list = mount.putArray("options");
                List.of(options).forEach(list::add);
            }
            return mount;
        }

        private static ObjectNode namespace(String type) {
            return JSON.createObjectNode().put("type", type);
        }
    }
}
