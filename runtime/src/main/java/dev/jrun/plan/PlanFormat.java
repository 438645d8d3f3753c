package dev.jrun.plan;

/**
 * The plan's wire format constants (docs/init-protocol.md "Plan encoding" and "Limits"), declared once on
 * the Java side. jrun-init #defines the same names; ProtocolAgreementTest compares them.
 */
public final class PlanFormat {
    private PlanFormat() {}

    /** The first 8 bytes of every plan. */
    public static final String MAGIC = "JRUNPLAN";

    /**
     * Changes whenever the encoding, an operation or a message changes. 2: SETSID; CLONE relays the
     * signals the plan lists; READY waits for an acknowledgement; AWAIT_START keeps the start connection
     * open until execve.
     */
    public static final int VERSION = 4;

    /** What jrun-init accepts at most. A plan beyond one of them is refused by the planner, with the spec's pointer. */
    public enum Limit {
        MAX_STEPS(4096, "steps in a plan"),
        MAX_ARGS(4096, "arguments in one step"),
        MAX_STRING(1 << 20, "bytes in one string argument"),
        /** CLONE_TREE slots: one per bind mount with shared propagation. */
        MAX_TREES(256, "cloned mounts (bind mounts with shared propagation)");

        private final int value;
        private final String what;

        Limit(int value, String what) {
            this.value = value;
            this.what = what;
        }

        public int value() {
            return value;
        }

        /** "steps in a plan": what the limit counts, for messages. */
        public String what() {
            return what;
        }
    }
}
