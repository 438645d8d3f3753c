package dev.jrun.features;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jrun.plan.CreatePlanner;
import dev.jrun.plan.MountOptions;
import dev.jrun.seccomp.Action;
import dev.jrun.seccomp.Arch;
import dev.jrun.seccomp.Condition;
import dev.jrun.seccomp.FilterFlag;
import java.util.Arrays;
import java.util.List;

/**
 * What this build of jrun implements, as the OCI features document (features.md) describes it.
 * Tools and the conformance suite decide from it what to try, so each list names only what
 * works end to end; a feature is added here in the same change that makes it work.
 */
public final class RuntimeFeatures {
    public static final String OCI_VERSION_MIN = "1.0.0";
    public static final String OCI_VERSION_MAX = "1.2.0";

    /** Lifecycle hooks jrun runs: all six of config.md (docs/hooks.md). */
    static final List<String> HOOKS = List.of("prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop");
    /** Mount options jrun applies: MountOptions' own table; anything else goes to the filesystem as data. */
    static final List<String> MOUNT_OPTIONS = MountOptions.names();
    /** Namespace types jrun can create or join (setns by path). */
    static final List<String> NAMESPACES = CreatePlanner.namespaceTypes();
    /** Capabilities jrun can set: every one Linux knows. */
    static final List<String> CAPABILITIES = dev.jrun.spec.model.CapabilityNames.ALL;

    /** Every action, SCMP_ACT_NOTIFY included (the listener goes to listenerPath). */
    static final List<String> SECCOMP_ACTIONS = Action.specNames();

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private RuntimeFeatures() {}

    public static ObjectNode document(String jrunVersion) {
        ObjectNode features = NODES.objectNode();
        features.put("ociVersionMin", OCI_VERSION_MIN);
        features.put("ociVersionMax", OCI_VERSION_MAX);
        features.set("hooks", strings(HOOKS));
        features.set("mountOptions", strings(MOUNT_OPTIONS));
        ObjectNode linux = features.putObject("linux");
        linux.set("namespaces", strings(NAMESPACES));
        linux.set("capabilities", strings(CAPABILITIES));
        // What jrun itself implements, whatever this host mounts (features.md): both cgroup versions, through the
        // cgroup file system; --systemd-cgroup only lays out systemd's paths, without asking systemd over D-Bus for
        // the scope unit, which is what "systemd" claims; rdma.max is written on both versions.
        ObjectNode cgroup = linux.putObject("cgroup");
        cgroup.put("v1", true);
        cgroup.put("v2", true);
        cgroup.put("systemd", false);
        cgroup.put("systemdUser", false);
        cgroup.put("rdma", true);
        linux.set("seccomp", seccomp());
        // Applied when the host has the module enabled (features.md: "enabled" says the runtime supports it).
        linux.putObject("apparmor").put("enabled", true);
        // SELinux: the process label is applied, mount labels are not yet (create refuses linux.mountLabel on an SELinux host).
        linux.putObject("selinux").put("enabled", false);
        linux.putObject("intelRdt").put("enabled", false);
        linux.putObject("mountExtensions").putObject("idmap").put("enabled", false);
        ObjectNode annotations = features.putObject("annotations");
        annotations.put("dev.jrun.version", jrunVersion);
        annotations.put("dev.jrun.spec.formats", "json,yaml");
        annotations.put("dev.jrun.spec.extensions", "jrun.veth");
        return features;
    }

    /** What the seccomp compiler and jrun-init apply (docs/seccomp.md); supportedFlags: those this host's kernel knows. */
    static ObjectNode seccomp() {
        ObjectNode seccomp = NODES.objectNode();
        seccomp.put("enabled", true);
        seccomp.set("actions", strings(SECCOMP_ACTIONS));
        seccomp.set("operators", strings(Condition.Op.specNames()));
        seccomp.set("archs", strings(Arrays.stream(Arch.values()).map(Arch::specName).sorted().toList()));
        seccomp.set("knownFlags", strings(FilterFlag.specNames()));
        String kernel = System.getProperty("os.version");
        seccomp.set("supportedFlags", strings(Arrays.stream(FilterFlag.values()).filter(f -> f.supportedBy(kernel)).map(FilterFlag::specName).toList()));
        return seccomp;
    }

    private static ArrayNode strings(List<String> values) {
        ArrayNode array = NODES.arrayNode();
        values.forEach(array::add);
        return array;
    }
}
