package dev.jrun.spec.check;

import dev.jrun.spec.model.Spec;
import java.util.Map;

/**
 * Only sysctls that belong to a namespace the container has of its own may be set; any
 * other would change the host for everyone (config-linux.md "Sysctl"; runc refuses them too).
 */
final class SysctlCheck implements SemanticCheck {
    @Override
    public String name() {
        return "sysctl";
    }

    @Override
    public void check(Spec spec, CheckContext context, Findings findings) {
        if (spec.linux() == null) {
            return;
        }
        for (Map.Entry<String, String> entry : spec.linux().sysctl().entrySet()) {
            String key = entry.getKey();
            String normalized = key.replace('/', '.');
            String at = "/linux/sysctl/" + key.replace("~", "~0").replace("/", "~1");
            String namespace = owningNamespace(normalized);
            if (namespace == null) {
                findings.error(at, "this sysctl is not namespaced: setting it would change the host",
                        "a key under net.*, fs.mqueue.*, kernel.shm*, kernel.msg*, kernel.sem*, kernel.hostname or kernel.domainname",
                        Findings.quoted(key));
            } else if (!Namespaces.isPrivate(spec, namespace)) {
                findings.error(at, "this sysctl belongs to the " + namespace + " namespace, which the container shares with the host",
                        "{type: " + namespace + "} in /linux/namespaces", Findings.quoted(key));
            }
        }
    }

    /** The OCI namespace type a sysctl key lives in, or null when it is global. */
    static String owningNamespace(String key) {
        if (key.startsWith("net.")) {
            return "network";
        }
        if (key.startsWith("fs.mqueue.") || key.startsWith("kernel.shm") || key.startsWith("kernel.msg") || key.startsWith("kernel.sem")) {
            return "ipc";
        }
        if (key.equals("kernel.hostname") || key.equals("kernel.domainname")) {
            return "uts";
        }
        return null;
    }
}
