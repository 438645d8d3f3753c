package dev.jrun.spec.check;

import dev.jrun.spec.model.Spec;
import dev.jrun.spec.model.SysctlKey;
import dev.jrun.spec.source.JsonPointers;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Only sysctls that belong to a namespace the container has of its own may be set; any
 * other would change the host for everyone (config-linux.md "Sysctl"; runc refuses them too).
 * Keys are read in dot or slash form ({@link SysctlKey}) and judged by the file they name, so
 * "kernel/panic" is as global as "kernel.panic"; a key that names no plain file below /proc/sys,
 * or the same file as an earlier key, is refused.
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
        Map<String, String> firstKeyOfFile = new HashMap<>();
        for (String key : spec.linux().sysctl().keySet()) {
            String at = pointerOf(key);
            SysctlKey sysctl;
            try {
                sysctl = SysctlKey.parse(key);
            } catch (IllegalArgumentException e) {
                findings.error(at, "not a sysctl name: " + e.getMessage(),
                        "a file below /proc/sys in dot form (net.ipv4.ip_forward) or slash form (net/ipv4/ip_forward)"
                                + suggestion(key), Findings.quoted(key));
                continue;
            }
            String earlier = firstKeyOfFile.putIfAbsent(sysctl.procPath(), key);
            if (earlier != null) {
                findings.error(at, "this key names /proc/sys/" + sysctl.procPath() + " like " + pointerOf(earlier)
                        + " does; one value would silently replace the other", "each sysctl once", Findings.quoted(key));
                continue;
            }
            String namespace = owningNamespace(sysctl);
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

    static String pointerOf(String key) {
        return JsonPointers.child("/linux/sysctl", key);
    }

    /** "/proc/sys/net/ipv4/ip_forward" is the full path of a valid key: say which. */
    private static String suggestion(String key) {
        String prefix = "/proc/sys/";
        if (key.startsWith(prefix) && key.length() > prefix.length()) {
            try {
                return "; for this key, \"" + SysctlKey.parse(key.substring(prefix.length())).dotted() + "\"";
            } catch (IllegalArgumentException e) {
                return "";
            }
        }
        return "";
    }

    /** The OCI namespace type a sysctl lives in, or null when it is global. */
    static String owningNamespace(SysctlKey key) {
        List<String> names = key.names();
        String top = names.getFirst();
        if (top.equals("net") && names.size() > 1) {
            return "network";
        }
        if (top.equals("fs") && names.size() > 2 && names.get(1).equals("mqueue")) {
            return "ipc";
        }
        if (top.equals("kernel") && names.size() == 2) {
            String name = names.get(1);
            if (name.startsWith("shm") || name.startsWith("msg") || name.startsWith("sem")) {
                return "ipc";
            }
            if (name.equals("hostname") || name.equals("domainname")) {
                return "uts";
            }
        }
        return null;
    }
}
