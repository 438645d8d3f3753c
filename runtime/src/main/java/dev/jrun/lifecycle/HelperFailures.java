package dev.jrun.lifecycle;

import dev.jrun.call.Helper;
import dev.jrun.error.JrunException;
import dev.jrun.init.InitMessage;
import dev.jrun.plan.Op;
import dev.jrun.plan.Plan;
import dev.jrun.sys.Errno;

/** What create and exec say when jrun-init reports a failed step, or ends without a word. */
final class HelperFailures {
    private HelperFailures() {}

    /** The failed step by its stage, operation, detail, errno and purpose; a refused plan as such. */
    static JrunException stepFailed(Plan plan, InitMessage.Failure failure) {
        if (failure.step() < 0 || failure.step() >= plan.steps().size()) {
            return new JrunException.StageFailed("spawn", "jrun-init refused the plan: " + failure.detail() + ": "
                    + Errno.describe(failure.errno()) + " (is jrun-init from the same build?)", null);
        }
        var planned = plan.at(failure.step());
        if (failure.operation().equals(Op.RUN_HOOK.protocolName())) {
            // The detail names the hook, its exit status or timeout and its first output lines; errno adds nothing.
            return new JrunException.StageFailed(planned.stage().description(), failure.detail(), null);
        }
        return new JrunException.StageFailed(planned.stage().description(),
                "step " + failure.step() + " (" + failure.operation() + " " + failure.detail() + ") failed: "
                        + Errno.describe(failure.errno()) + " [the step's purpose: " + planned.why() + "]", null);
    }

    /** " (exit status N)" once the helper has exited (within 2 s), else "". */
    static String exitOf(Helper helper) {
        try {
            return helper.waitFor(HelperStart.GRACE) ? " (exit status " + helper.exitValue() + ")" : "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
