package dev.jrun.spec.check;

import dev.jrun.spec.model.Spec;
import dev.jrun.spec.problem.Problem;
import java.util.ArrayList;
import java.util.List;

/** Every semantic check, run in this order; each sees the whole spec and reports everything it finds. */
public final class SemanticChecks {
    private static final List<SemanticCheck> ALL = List.of(
            new OciVersionCheck(),
            new RootPathCheck(),
            new MountCheck(),
            new NamespaceCheck(),
            new IdMappingCheck(),
            new HostnameCheck(),
            new ProcessCheck(),
            new CapabilityCheck(),
            new SysctlCheck(),
            new ContainerPathsCheck(),
            new DeviceCheck(),
            new HookCheck(),
            new TimeNamespaceCheck(),
            new VethCheck());

    private SemanticChecks() {}

    public static List<SemanticCheck> all() {
        return ALL;
    }

    public static List<Problem> run(Spec spec, CheckContext context) {
        List<Problem> problems = new ArrayList<>();
        for (SemanticCheck check : ALL) {
            Findings findings = new Findings(check.name());
            check.check(spec, context, findings);
            problems.addAll(findings.problems());
        }
        return problems;
    }
}
