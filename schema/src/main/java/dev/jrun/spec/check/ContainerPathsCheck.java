package dev.jrun.spec.check;

import dev.jrun.spec.model.Spec;
import java.util.List;

/** maskedPaths and readonlyPaths name places inside the container: absolute, without "..". */
final class ContainerPathsCheck implements SemanticCheck {
    @Override
    public String name() {
        return "container-paths";
    }

    @Override
    public void check(Spec spec, CheckContext context, Findings findings) {
        if (spec.linux() == null) {
            return;
        }
        checkAll("/linux/maskedPaths", spec.linux().maskedPaths(), "a masked path", findings);
        checkAll("/linux/readonlyPaths", spec.linux().readonlyPaths(), "a read-only path", findings);
    }

    private static void checkAll(String at, List<String> paths, String what, Findings findings) {
        for (int i = 0; i < paths.size(); i++) {
            PathRules.requireAbsoluteContained(at + "/" + i, paths.get(i), what, findings);
        }
    }
}
