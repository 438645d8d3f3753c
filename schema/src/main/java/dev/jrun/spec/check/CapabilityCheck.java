package dev.jrun.spec.check;

import dev.jrun.spec.model.CapabilityNames;
import dev.jrun.spec.model.Process;
import dev.jrun.spec.model.Spec;
import java.util.List;

/**
 * Capability names must be ones Linux knows: a misspelt name would otherwise leave the
 * process without a capability it was meant to have, or with one it was meant to lose.
 */
final class CapabilityCheck implements SemanticCheck {

    @Override
    public String name() {
        return "capabilities";
    }

    @Override
    public void check(Spec spec, CheckContext context, Findings findings) {
        if (spec.process() == null || spec.process().capabilities() == null) {
            return;
        }
        Process.Capabilities caps = spec.process().capabilities();
        checkSet("bounding", caps.bounding(), findings);
        checkSet("effective", caps.effective(), findings);
        checkSet("inheritable", caps.inheritable(), findings);
        checkSet("permitted", caps.permitted(), findings);
        checkSet("ambient", caps.ambient(), findings);
    }

    private static void checkSet(String set, List<String> names, Findings findings) {
        for (int i = 0; i < names.size(); i++) {
            if (CapabilityNames.bitOf(names.get(i)) < 0) {
                findings.error("/process/capabilities/" + set + "/" + i, "unknown capability", "a name from capabilities(7), e.g. CAP_NET_ADMIN",
                        Findings.quoted(names.get(i)));
            }
        }
    }
}
