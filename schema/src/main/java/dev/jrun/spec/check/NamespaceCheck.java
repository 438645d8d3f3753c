package dev.jrun.spec.check;

import dev.jrun.spec.model.Linux;
import dev.jrun.spec.model.Spec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Each namespace type appears once; a path to join must be absolute, exist and be a namespace
 * of that same type (config-linux.md "Namespaces": a runtime MUST error otherwise).
 */
final class NamespaceCheck implements SemanticCheck {
    @Override
    public String name() {
        return "namespaces";
    }

    @Override
    public void check(Spec spec, CheckContext context, Findings findings) {
        List<Linux.Namespace> namespaces = Namespaces.of(spec);
        Map<String, Integer> firstIndex = new HashMap<>();
        for (int i = 0; i < namespaces.size(); i++) {
            Linux.Namespace ns = namespaces.get(i);
            String at = "/linux/namespaces/" + i;
            Integer earlier = firstIndex.putIfAbsent(ns.type(), i);
            if (earlier != null) {
                findings.error(at + "/type", "namespace type \"" + ns.type() + "\" is listed twice (first at /linux/namespaces/" + earlier + ")",
                        "each type at most once", Findings.quoted(ns.type()));
            }
            if (ns.joinsExisting()) {
                checkPath(at + "/path", ns, context, findings);
            }
        }
    }

    private static void checkPath(String at, Linux.Namespace ns, CheckContext context, Findings findings) {
        String expectedKernelName = Namespaces.KERNEL_NAMES.get(ns.type());
        if (!ns.path().startsWith("/")) {
            findings.error(at, "a namespace path must be absolute", "e.g. /proc/1234/ns/" + expectedKernelName, Findings.quoted(ns.path()));
            return;
        }
        Path path = Path.of(ns.path());
        if (!Files.exists(path)) {
            findings.error(at, "no such namespace file", "an existing " + ns.type() + " namespace file, e.g. /proc/1234/ns/" + expectedKernelName,
                    Findings.quoted(ns.path()));
            return;
        }
        Optional<String> actual;
        try {
            actual = context.host().namespaceTypeOf(path);
        } catch (java.nio.file.AccessDeniedException e) {
            findings.error(at, "permission denied reading the namespace file", "a " + ns.type() + " namespace file jrun may open",
                    Findings.quoted(ns.path()));
            return;
        }
        if (actual.isEmpty()) {
            findings.error(at, "not a namespace file", "a " + ns.type() + " namespace file (nsfs), e.g. /proc/1234/ns/" + expectedKernelName,
                    Findings.quoted(ns.path()));
        } else if (expectedKernelName != null && !actual.get().equals(expectedKernelName)
                && !actual.get().equals(expectedKernelName + "_for_children")) {
            findings.error(at, "the file is a namespace of another type", "a \"" + expectedKernelName + "\" namespace",
                    "a \"" + actual.get() + "\" namespace at " + Findings.quoted(ns.path()));
        }
    }
}
