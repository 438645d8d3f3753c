package dev.jrun.seccomp;

import java.util.List;
import java.util.Optional;

/**
 * One comparison of a syscall argument: args[index] OP value, or for MASKED_EQ (args[index] &amp; value) == valueTwo
 * (config-linux.md: value is the mask). Values are unsigned 64-bit.
 */
public record Condition(int index, Op op, long value, long valueTwo) {
    /** Syscalls have at most six arguments. */
    public static final int MAX_ARGS = 6;

    public enum Op {
        NE("SCMP_CMP_NE"), LT("SCMP_CMP_LT"), LE("SCMP_CMP_LE"), EQ("SCMP_CMP_EQ"),
        GE("SCMP_CMP_GE"), GT("SCMP_CMP_GT"), MASKED_EQ("SCMP_CMP_MASKED_EQ");

        private final String specName;

        Op(String specName) {
            this.specName = specName;
        }

        public String specName() {
            return specName;
        }

        public static Optional<Op> ofSpecName(String name) {
            for (Op op : values()) {
                if (op.specName.equals(name)) {
                    return Optional.of(op);
                }
            }
            return Optional.empty();
        }

        /** The spec's names, sorted, as `jrun features` lists them. */
        public static List<String> specNames() {
            return java.util.Arrays.stream(values()).map(Op::specName).sorted().toList();
        }
    }

    public Condition {
        if (index < 0 || index >= MAX_ARGS) {
            throw new IllegalArgumentException("argument index " + index);
        }
    }

    /** Whether an argument of this value passes, seen with width 64 or 32 bits (libseccomp's 32-bit ABIs). */
    public boolean test(long arg, boolean wide) {
        long a = wide ? arg : arg & 0xffffffffL;
        long v = wide ? value : value & 0xffffffffL;
        return switch (op) {
            case EQ -> a == v;
            case NE -> a != v;
            case LT -> Long.compareUnsigned(a, v) < 0;
            case LE -> Long.compareUnsigned(a, v) <= 0;
            case GT -> Long.compareUnsigned(a, v) > 0;
            case GE -> Long.compareUnsigned(a, v) >= 0;
            case MASKED_EQ -> (a & v) == (wide ? valueTwo : valueTwo & 0xffffffffL);
        };
    }
}
