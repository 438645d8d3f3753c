package dev.jrun.spec.check;

import dev.jrun.spec.model.Hooks;
import dev.jrun.spec.model.Spec;
import java.util.List;
import java.util.Map;

/** Hook paths are absolute in the runtime namespace (config.md "POSIX-platform Hooks"). */
final class HookCheck implements SemanticCheck {
    @Override
    public String name() {
        return "hooks";
    }

    @Override
    public void check(Spec spec, CheckContext context, Findings findings) {
        Hooks hooks = spec.hooks();
        if (hooks == null) {
            return;
        }
        Map<String, List<Hooks.Hook>> byPoint = new java.util.LinkedHashMap<>();
        byPoint.put("prestart", hooks.prestart());
        byPoint.put("createRuntime", hooks.createRuntime());
        byPoint.put("createContainer", hooks.createContainer());
        byPoint.put("startContainer", hooks.startContainer());
        byPoint.put("poststart", hooks.poststart());
        byPoint.put("poststop", hooks.poststop());
        byPoint.forEach((point, list) -> {
            for (int i = 0; i < list.size(); i++) {
                String path = list.get(i).path();
                if (path != null && !path.startsWith("/")) {
                    findings.error("/hooks/" + point + "/" + i + "/path", "a hook path must be absolute",
                            "a path starting with /", Findings.quoted(path));
                }
            }
        });
    }
}
