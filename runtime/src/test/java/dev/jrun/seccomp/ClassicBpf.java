package dev.jrun.seccomp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A classic BPF interpreter for seccomp programs, written for the tests from the instruction set as the kernel's
 * seccomp checker accepts it (linux/filter.h, Documentation/networking/filter.rst): it runs a program on one
 * struct seccomp_data and returns what the kernel would act on. It refuses what the kernel refuses: a jump past the
 * end, a load outside seccomp_data or unaligned, a program that does not end in a return, one too long.
 */
final class ClassicBpf {
    private final int[] code;
    private final int[] jt;
    private final int[] jf;
    private final int[] k;

    ClassicBpf(byte[] program) {
        if (program.length % 8 != 0 || program.length == 0 || program.length / 8 > SeccompFilter.MAX_INSTRUCTIONS) {
            throw new IllegalArgumentException("bad program length " + program.length);
        }
        int n = program.length / 8;
        code = new int[n];
        jt = new int[n];
        jf = new int[n];
        k = new int[n];
        ByteBuffer in = ByteBuffer.wrap(program).order(ByteOrder.nativeOrder());
        for (int i = 0; i < n; i++) {
            code[i] = in.getShort() & 0xffff;
            jt[i] = in.get() & 0xff;
            jf[i] = in.get() & 0xff;
            k[i] = in.getInt();
        }
        check();
    }

    int length() {
        return code.length;
    }

    /** The kernel's static checks (sk_chk_filter + seccomp_check_filter), in short. */
    private void check() {
        for (int pc = 0; pc < code.length; pc++) {
            int cls = code[pc] & 0x07;
            if (cls == 0x05) { // JMP
                int op = code[pc] & 0xf0;
                long far = op == 0x00 ? pc + 1L + (k[pc] & 0xffffffffL) : pc + 1L + Math.max(jt[pc], jf[pc]);
                if (far >= code.length) {
                    throw new IllegalStateException("jump past the end at " + pc);
                }
            }
            if (code[pc] == 0x20 && (k[pc] < 0 || k[pc] > 60 || (k[pc] & 3) != 0)) {
                throw new IllegalStateException("load outside seccomp_data at " + pc + ": " + k[pc]);
            }
        }
        int last = code[code.length - 1];
        if ((last & 0x07) != 0x06) {
            throw new IllegalStateException("the program does not end in a return");
        }
    }

    /** Runs the program on seccomp_data {nr, arch, ip 0, args}; the return value, as an unsigned 32-bit int in a long. */
    long run(int nr, long arch, long... args) {
        ByteBuffer data = ByteBuffer.allocate(64).order(ByteOrder.nativeOrder());
        data.putInt(0, nr).putInt(4, (int) arch);
        for (int i = 0; i < args.length; i++) {
            data.putLong(16 + 8 * i, args[i]);
        }
        int a = 0;
        int x = 0;
        int[] mem = new int[16];
        int pc = 0;
        while (true) {
            int c = code[pc];
            int kk = k[pc];
            switch (c & 0x07) {
                case 0x00 -> { // LD
                    a = switch (c) {
                        case 0x20 -> data.getInt(kk);          // W ABS
                        case 0x00 -> kk;                       // IMM
                        case 0x60 -> mem[kk];                  // MEM
                        case 0x80 -> 64;                       // LEN
                        default -> throw new IllegalStateException("unsupported load 0x" + Integer.toHexString(c));
                    };
                }
                case 0x01 -> x = switch (c) { // LDX
                    case 0x01 -> kk;
                    case 0x61 -> mem[kk];
                    case 0x81 -> 64;
                    default -> throw new IllegalStateException("unsupported ldx 0x" + Integer.toHexString(c));
                };
                case 0x02 -> mem[kk] = a;
                case 0x03 -> mem[kk] = x;
                case 0x04 -> { // ALU
                    int operand = (c & 0x08) != 0 ? x : kk;
                    a = switch (c & 0xf0) {
                        case 0x00 -> a + operand;
                        case 0x10 -> a - operand;
                        case 0x20 -> a * operand;
                        case 0x30 -> Integer.divideUnsigned(a, operand);
                        case 0x40 -> a | operand;
                        case 0x50 -> a & operand;
                        case 0x60 -> a << operand;
                        case 0x70 -> a >>> operand;
                        case 0x80 -> -a;
                        case 0x90 -> Integer.remainderUnsigned(a, operand);
                        case 0xa0 -> a ^ operand;
                        default -> throw new IllegalStateException("unsupported alu 0x" + Integer.toHexString(c));
                    };
                }
                case 0x05 -> { // JMP
                    int operand = (c & 0x08) != 0 ? x : kk;
                    int op = c & 0xf0;
                    if (op == 0x00) {
                        pc += kk;
                    } else {
                        boolean taken = switch (op) {
                            case 0x10 -> a == operand;
                            case 0x20 -> Integer.compareUnsigned(a, operand) > 0;
                            case 0x30 -> Integer.compareUnsigned(a, operand) >= 0;
                            case 0x40 -> (a & operand) != 0;
                            default -> throw new IllegalStateException("unsupported jump 0x" + Integer.toHexString(c));
                        };
                        pc += taken ? jt[pc] : jf[pc];
                    }
                }
                case 0x06 -> {
                    return ((c & 0x18) == 0x10 ? a : kk) & 0xffffffffL;
                }
                case 0x07 -> {
                    if ((c & 0xf8) == 0x00) {
                        x = a; // TAX
                    } else {
                        a = x; // TXA
                    }
                }
                default -> throw new IllegalStateException("unreachable");
            }
            pc++;
        }
    }
}
