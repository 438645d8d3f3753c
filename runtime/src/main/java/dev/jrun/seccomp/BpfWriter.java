package dev.jrun.seccomp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link SeccompFilter} → classic BPF, laid out as libseccomp lays it out: the audit arch first (an architecture
 * outside the filter gets {@link SeccompFilter#BAD_ARCH}), then for x86_64's audit arch the x32 bit (x32 numbers
 * to the x32 section, or BAD_ARCH without one), then a binary search on the syscall number over ranges of numbers
 * that share their outcome, ending in a return, or in the syscall's rules when it has conditional ones.
 * 64-bit arguments are compared as two 32-bit halves, high first (docs/seccomp.md, "The program").
 *
 * <p>Conditional jumps reach 255 instructions at most; a node of the search whose left side is longer jumps over it
 * with a JA, whose reach is 32 bits.
 */
final class BpfWriter {
    // struct seccomp_data: int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6].
    private static final int NR = 0;
    private static final int ARCH = 4;
    private static final int ARGS = 16;

    private static final int LD_W_ABS = 0x20;
    private static final int JA = 0x05;
    private static final int JEQ = 0x15;
    private static final int JGT = 0x25;
    private static final int JGE = 0x35;
    private static final int AND = 0x54;
    private static final int RET = 0x06;
    private static final int MAX_JUMP = 255;

    record Insn(int code, int jt, int jf, int k) {}

    private BpfWriter() {}

    static byte[] write(SeccompFilter filter) {
        List<Insn> program = assemble(filter);
        ByteBuffer bytes = ByteBuffer.allocate(program.size() * 8).order(ByteOrder.nativeOrder());
        for (Insn insn : program) {
            bytes.putShort((short) insn.code).put((byte) insn.jt).put((byte) insn.jf).putInt(insn.k);
        }
        return bytes.array();
    }

    static List<Insn> assemble(SeccompFilter filter) {
        // One block per audit arch; x86_64 and x32 share one.
        Map<Long, List<Insn>> blocks = new java.util.LinkedHashMap<>();
        for (Arch arch : filter.architectures()) {
            if (arch == Arch.X32 && filter.architectures().contains(Arch.X86_64)) {
                continue; // the x86_64 block holds it
            }
            blocks.put(arch.auditArch(), archBlock(filter, arch));
        }
        List<Insn> code = new ArrayList<>();
        code.add(new Insn(LD_W_ABS, 0, 0, ARCH));
        int dispatchEnd = 1 + 2 * blocks.size() + 1;
        int offset = 0;
        for (var entry : blocks.entrySet()) {
            code.add(new Insn(JEQ, 0, 1, (int) (long) entry.getKey()));
            int jaAt = code.size();
            code.add(new Insn(JA, 0, 0, dispatchEnd + offset - (jaAt + 1)));
            offset += entry.getValue().size();
        }
        code.add(ret(SeccompFilter.BAD_ARCH));
        blocks.values().forEach(code::addAll);
        return code;
    }

    /** Loads the number and searches; for x86_64's audit arch, first splits x86_64 from x32 on the x32 bit. */
    private static List<Insn> archBlock(SeccompFilter filter, Arch arch) {
        List<Insn> code = new ArrayList<>();
        code.add(new Insn(LD_W_ABS, 0, 0, NR));
        boolean x86Audit = arch == Arch.X86_64 || arch == Arch.X32;
        if (!x86Audit) {
            code.addAll(search(filter, arch));
            return code;
        }
        List<Insn> x64 = filter.architectures().contains(Arch.X86_64) ? search(filter, Arch.X86_64) : List.of(ret(SeccompFilter.BAD_ARCH));
        List<Insn> x32 = filter.architectures().contains(Arch.X32) ? search(filter, Arch.X32) : List.of(ret(SeccompFilter.BAD_ARCH));
        // nr >= bit: go on to the JA into the x32 section; else skip it into x86_64's.
        code.add(new Insn(JGE, 0, 1, (int) Arch.X32_SYSCALL_BIT));
        code.add(new Insn(JA, 0, 0, x64.size()));
        code.addAll(x64);
        code.addAll(x32);
        return code;
    }

    /** A range of syscall numbers [start, next range's start) with one outcome: a return, or the rules of one syscall. */
    private record Range(long start, Action returns, List<Rule> rules) {}

    private static List<Insn> search(SeccompFilter filter, Arch arch) {
        List<Range> ranges = new ArrayList<>();
        ranges.add(new Range(0, filter.defaultAction(), null));
        for (var entry : filter.rules(arch).entrySet()) {
            long nr = entry.getKey();
            List<Rule> rules = entry.getValue();
            Range range = rules.getFirst().unconditional()
                    ? new Range(nr, rules.getFirst().action(), null) : new Range(nr, null, rules);
            add(ranges, range);
            if (nr + 1 <= 0xffffffffL) {
                add(ranges, new Range(nr + 1, filter.defaultAction(), null));
            }
        }
        Long bound = filter.enosysAbove(arch);
        if (bound != null && bound + 1 <= 0xffffffffL) {
            add(ranges, new Range(bound + 1, SeccompFilter.ENOSYS, null)); // no rule names a number above the bound
        }
        return tree(ranges, 0, ranges.size(), arch, filter.defaultAction());
    }

    /** Appends a range, or widens the last one when both only return the same action. */
    private static void add(List<Range> ranges, Range range) {
        Range last = ranges.getLast();
        if (last.start == range.start) {
            ranges.set(ranges.size() - 1, range);
            if (ranges.size() > 1) {
                Range before = ranges.get(ranges.size() - 2);
                if (before.returns != null && before.returns.equals(range.returns)) {
                    ranges.removeLast();
                }
            }
        } else if (last.returns == null || !last.returns.equals(range.returns)) {
            ranges.add(range);
        }
    }

    /** The search over ranges[from, to): the number is in the accumulator. */
    private static List<Insn> tree(List<Range> ranges, int from, int to, Arch arch, Action defaultAction) {
        if (to - from == 1) {
            Range range = ranges.get(from);
            return range.returns != null ? List.of(ret(range.returns)) : rules(range.rules, arch, defaultAction);
        }
        int middle = (from + to) / 2;
        List<Insn> left = tree(ranges, from, middle, arch, defaultAction);
        List<Insn> right = tree(ranges, middle, to, arch, defaultAction);
        int split = (int) ranges.get(middle).start;
        List<Insn> code = new ArrayList<>(left.size() + right.size() + 2);
        if (left.size() <= MAX_JUMP) {
            code.add(new Insn(JGE, left.size(), 0, split));
        } else {
            code.add(new Insn(JGE, 0, 1, split));
            code.add(new Insn(JA, 0, 0, left.size()));
        }
        code.addAll(left);
        code.addAll(right);
        return code;
    }

    /** Each rule in turn: its conditions, each jumping to the next rule when it fails, then its return; last the default. */
    private static List<Insn> rules(List<Rule> rules, Arch arch, Action defaultAction) {
        List<Insn> code = new ArrayList<>();
        for (Rule rule : rules) {
            List<Insn> body = new ArrayList<>();
            for (Condition condition : rule.conditions()) {
                body.addAll(condition(condition, arch.wideArgs()));
            }
            body.add(ret(rule.action()));
            code.addAll(resolveNext(body));
        }
        code.add(ret(defaultAction));
        return code;
    }

    /** FAIL in a jump of a rule's body means: the first instruction after the body (the next rule). */
    private static final int FAIL = -1;
    /** PASS: the first instruction after this condition's code. */
    private static final int PASS = -2;

    private static List<Insn> resolveNext(List<Insn> body) {
        List<Insn> code = new ArrayList<>(body.size());
        for (int i = 0; i < body.size(); i++) {
            Insn insn = body.get(i);
            int jt = insn.jt == FAIL ? body.size() - (i + 1) : insn.jt;
            int jf = insn.jf == FAIL ? body.size() - (i + 1) : insn.jf;
            if (jt > MAX_JUMP || jf > MAX_JUMP) {
                throw new IllegalStateException("a seccomp rule too long for a BPF jump: " + body.size() + " instructions");
            }
            code.add(new Insn(insn.code, jt, jf, insn.k));
        }
        return code;
    }

    /** Falls through when the condition holds, jumps to FAIL when it does not. */
    private static List<Insn> condition(Condition c, boolean wide) {
        int low = ARGS + 8 * c.index();
        int high = low + 4;
        int valueLow = (int) c.value();
        int valueHigh = (int) (c.value() >>> 32);
        List<Insn> code = new ArrayList<>();
        if (!wide) {
            code.add(new Insn(LD_W_ABS, 0, 0, low));
            switch (c.op()) {
                case EQ -> code.add(new Insn(JEQ, 0, FAIL, valueLow));
                case NE -> code.add(new Insn(JEQ, FAIL, 0, valueLow));
                case GT -> code.add(new Insn(JGT, 0, FAIL, valueLow));
                case GE -> code.add(new Insn(JGE, 0, FAIL, valueLow));
                case LT -> code.add(new Insn(JGE, FAIL, 0, valueLow));
                case LE -> code.add(new Insn(JGT, FAIL, 0, valueLow));
                case MASKED_EQ -> {
                    code.add(new Insn(AND, 0, 0, valueLow));
                    code.add(new Insn(JEQ, 0, FAIL, (int) c.valueTwo()));
                }
            }
            return code;
        }
        switch (c.op()) {
            case EQ -> {
                code.add(new Insn(LD_W_ABS, 0, 0, high));
                code.add(new Insn(JEQ, 0, FAIL, valueHigh));
                code.add(new Insn(LD_W_ABS, 0, 0, low));
                code.add(new Insn(JEQ, 0, FAIL, valueLow));
            }
            case NE -> {
                // high differs: holds (skip the low test); high equal: holds only if low differs.
                code.add(new Insn(LD_W_ABS, 0, 0, high));
                code.add(new Insn(JEQ, 0, 2, valueHigh));
                code.add(new Insn(LD_W_ABS, 0, 0, low));
                code.add(new Insn(JEQ, FAIL, 0, valueLow));
            }
            case GT, GE -> {
                // high above: holds; high below: fails; high equal: decided by the low half.
                code.add(new Insn(LD_W_ABS, 0, 0, high));
                code.add(new Insn(JGT, 3, 0, valueHigh));
                code.add(new Insn(JEQ, 0, FAIL, valueHigh));
                code.add(new Insn(LD_W_ABS, 0, 0, low));
                code.add(new Insn(c.op() == Condition.Op.GT ? JGT : JGE, 0, FAIL, valueLow));
            }
            case LT, LE -> {
                // The negation of GE (LT) or GT (LE).
                code.add(new Insn(LD_W_ABS, 0, 0, high));
                code.add(new Insn(JGT, FAIL, 0, valueHigh));
                code.add(new Insn(JEQ, 0, 2, valueHigh));
                code.add(new Insn(LD_W_ABS, 0, 0, low));
                code.add(new Insn(c.op() == Condition.Op.LT ? JGE : JGT, FAIL, 0, valueLow));
            }
            case MASKED_EQ -> {
                code.add(new Insn(LD_W_ABS, 0, 0, high));
                code.add(new Insn(AND, 0, 0, valueHigh));
                code.add(new Insn(JEQ, 0, FAIL, (int) (c.valueTwo() >>> 32)));
                code.add(new Insn(LD_W_ABS, 0, 0, low));
                code.add(new Insn(AND, 0, 0, valueLow));
                code.add(new Insn(JEQ, 0, FAIL, (int) c.valueTwo()));
            }
        }
        return code;
    }

    private static Insn ret(Action action) {
        return new Insn(RET, 0, 0, action.ret());
    }
}
