package dev.jrun.spec.check;

import dev.jrun.spec.model.Spec;

/**
 * Setting hostname or domainname without a UTS namespace of its own (new or joined) would rename the host, so the
 * runtime must refuse it (config.md "Hostname"); both are limited to 64 bytes by the kernel.
 */
final class HostnameCheck implements SemanticCheck {
    static final int KERNEL_MAX = 64;

    @Override
    public String name() {
        return "hostname";
    }

    @Override
    public void check(Spec spec, CheckContext context, Findings findings) {
        checkName("/hostname", "hostname", spec.hostname(), spec, findings);
        checkName("/domainname", "domainname", spec.domainname(), spec, findings);
    }

    private static void checkName(String at, String what, String value, Spec spec, Findings findings) {
        if (value == null || value.isEmpty()) {
            return;
        }
        if (!Namespaces.isPrivate(spec, "uts")) {
            findings.error(at, "setting the " + what + " needs a UTS namespace of its own (else it would change the host's)",
                    "{type: uts} in /linux/namespaces", Findings.quoted(value));
        }
        int bytes = value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (bytes > KERNEL_MAX) {
            findings.error(at, "the " + what + " is longer than the kernel's limit", "at most " + KERNEL_MAX + " bytes", bytes + " bytes");
        }
    }
}
