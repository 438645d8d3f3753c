package dev.jrun.spec.template;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The starting spec `jrun spec` writes: the same container `runc spec` describes (a shell in
 * ./rootfs, read-only root, the usual mounts, masked and read-only /proc paths), except that
 * process.terminal is false so that `jrun run` works without a console from the first try.
 */
public final class DefaultSpec {
    public static final String OCI_VERSION = "1.2.0";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> CAPABILITIES = List.of("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE");

    private DefaultSpec() {}

    /**
     * @param rootless for an unprivileged caller: a user namespace mapping root in the container
     *                 to hostUid/hostGid, no network namespace, /sys bound from the host
     */
    public static ObjectNode build(boolean rootless, long hostUid, long hostGid) {
        ObjectNode spec = NODES.objectNode();
        spec.put("ociVersion", OCI_VERSION);
        spec.set("process", process());
        ObjectNode root = spec.putObject("root");
        root.put("path", "rootfs");
        root.put("readonly", true);
        spec.put("hostname", "jrun");
        spec.set("mounts", mounts(rootless));
        spec.set("linux", linux(rootless, hostUid, hostGid));
        return spec;
    }

    private static ObjectNode process() {
        ObjectNode process = NODES.objectNode();
        process.put("terminal", false);
        ObjectNode user = process.putObject("user");
        user.put("uid", 0);
        user.put("gid", 0);
        process.set("args", strings("sh"));
        process.set("env", strings("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"));
        process.put("cwd", "/");
        ObjectNode caps = process.putObject("capabilities");
        for (String set : List.of("bounding", "effective", "permitted", "ambient")) {
            caps.set(set, strings(CAPABILITIES.toArray(String[]::new)));
        }
        ObjectNode nofile = process.putArray("rlimits").addObject();
        nofile.put("type", "RLIMIT_NOFILE");
        nofile.put("hard", 1024);
        nofile.put("soft", 1024);
        process.put("noNewPrivileges", true);
        return process;
    }

    private static ArrayNode mounts(boolean rootless) {
        ArrayNode mounts = NODES.arrayNode();
        mount(mounts, "/proc", "proc", "proc");
        mount(mounts, "/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k");
        if (rootless) {
            // gid=5 (tty) is not mapped in a one-id user namespace, so devpts would refuse it.
            mount(mounts, "/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620");
        } else {
            mount(mounts, "/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5");
        }
        mount(mounts, "/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev", "mode=1777", "size=65536k");
        mount(mounts, "/dev/mqueue", "mqueue", "mqueue", "nosuid", "noexec", "nodev");
        if (rootless) {
            // Without a network namespace of its own the container may not mount a fresh sysfs.
            mount(mounts, "/sys", "none", "/sys", "rbind", "nosuid", "noexec", "nodev", "ro");
        } else {
            mount(mounts, "/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", "ro");
            mount(mounts, "/sys/fs/cgroup", "cgroup", "cgroup", "nosuid", "noexec", "nodev", "relatime", "ro");
        }
        return mounts;
    }

    private static ObjectNode linux(boolean rootless, long hostUid, long hostGid) {
        ObjectNode linux = NODES.objectNode();
        if (rootless) {
            linux.set("uidMappings", NODES.arrayNode().add(mapping(hostUid)));
            linux.set("gidMappings", NODES.arrayNode().add(mapping(hostGid)));
        } else {
            ObjectNode denyAll = linux.putObject("resources").putArray("devices").addObject();
            denyAll.put("allow", false);
            denyAll.put("access", "rwm");
        }
        ArrayNode namespaces = linux.putArray("namespaces");
        List<String> types = rootless ? List.of("pid", "ipc", "uts", "mount", "user") : List.of("pid", "network", "ipc", "uts", "mount");
        types.forEach(type -> namespaces.addObject().put("type", type));
        linux.set("maskedPaths", strings("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
                "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi"));
        linux.set("readonlyPaths", strings("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"));
        return linux;
    }

    private static ObjectNode mapping(long hostId) {
        ObjectNode mapping = NODES.objectNode();
        mapping.put("containerID", 0);
        mapping.put("hostID", hostId);
        mapping.put("size", 1);
        return mapping;
    }

    private static void mount(ArrayNode mounts, String destination, String type, String source, String... options) {
        ObjectNode mount = mounts.addObject();
        mount.put("destination", destination);
        mount.put("type", type);
        mount.put("source", source);
        if (options.length > 0) {
            mount.set("options", strings(options));
        }
    }

    private static ArrayNode strings(String... values) {
        ArrayNode array = NODES.arrayNode();
        for (String value : values) {
            array.add(value);
        }
        return array;
    }
}
