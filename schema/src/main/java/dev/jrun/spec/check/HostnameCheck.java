package dev.jrun.spec.check;

import dev.jrun.spec.model.Spec;
import dev.jrun.spec.model.SysctlKey;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Setting hostname or domainname without a UTS namespace of its own (new or joined) would rename the host, so the
 * runtime must refuse it (config.md "Hostname"); both are limited to 64 bytes by the kernel. The sysctls
 * kernel.hostname and kernel.domainname, in either form, write the same names: one is refused beside its field
 * (the runtime would apply one over the other), and alone it keeps to the same length limit.
 */
final class HostnameCheck implements SemanticCheck {
    static final int KERNEL_MAX = 64;

    /** A UTS name, its top-level field and the sysctl that sets the same thing. */
    private record UtsName(String what, String field, String sysctl) {}

    private static final UtsName HOSTNAME = new UtsName("hostname", "/hostname", "kernel.hostname");
    private static final UtsName DOMAINNAME = new UtsName("domainname", "/domainname", "kernel.domainname");

    @Override
    public String name() {
        return "hostname";
    }

    @Override
    public void check(Spec spec, CheckContext context, Findings findings) {
        checkField(HOSTNAME, spec.hostname(), spec, findings);
        checkField(DOMAINNAME, spec.domainname(), spec, findings);
        Map<String, String> sysctls = spec.linux() == null ? Map.of() : spec.linux().sysctl();
        sysctls.forEach((key, value) -> {
            checkSysctl(HOSTNAME, spec.hostname(), key, value, findings);
            checkSysctl(DOMAINNAME, spec.domainname(), key, value, findings);
        });
    }

    private static void checkField(UtsName name, String value, Spec spec, Findings findings) {
        if (value == null || value.isEmpty()) {
            return;
        }
        if (!Namespaces.isPrivate(spec, "uts")) {
            findings.error(name.field(), "setting the " + name.what() + " needs a UTS namespace of its own (else it would change the host's)",
                    "{type: uts} in /linux/namespaces", Findings.quoted(value));
        }
        checkLength(name.field(), name, value, findings);
    }

    /** The namespace a UTS sysctl needs is the sysctl check's concern; here only what it sets. */
    private static void checkSysctl(UtsName name, String fieldValue, String key, String value, Findings findings) {
        if (!names(key, name.sysctl())) {
            return;
        }
        String at = SysctlCheck.pointerOf(key);
        if (fieldValue != null && !fieldValue.isEmpty()) {
            findings.error(at, "the sysctl sets the " + name.what() + ", which " + name.field() + " sets already; one would silently replace the other",
                    "the " + name.what() + " in " + name.field() + " only", Findings.quoted(key));
        } else {
            checkLength(at, name, value, findings);
        }
    }

    private static boolean names(String key, String dottedKey) {
        try {
            return SysctlKey.parse(key).is(dottedKey);
        } catch (IllegalArgumentException e) {
            return false; // the sysctl check reports it
        }
    }

    private static void checkLength(String at, UtsName name, String value, Findings findings) {
        int bytes = value.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > KERNEL_MAX) {
            findings.error(at, "the " + name.what() + " is longer than the kernel's limit", "at most " + KERNEL_MAX + " bytes", bytes + " bytes");
        }
    }
}
