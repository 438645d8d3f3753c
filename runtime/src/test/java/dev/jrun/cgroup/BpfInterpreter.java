package dev.jrun.cgroup;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Runs a cgroup device program as the kernel would, for the opcodes {@link DeviceProgram} emits and no others: an
 * unknown opcode, a backward jump, a jump or fall out of the program, or a register read before it is written fails
 * the test, as the verifier would refuse the program.
 */
final class BpfInterpreter {
    private BpfInterpreter() {}

    /** The program's verdict (1 allow, 0 deny) on an access: type BLOCK or CHAR, access bits m=1 r=2 w=4. */
    static long run(byte[] code, int type, int access, long major, long minor) {
        ByteBuffer program = ByteBuffer.wrap(code).order(ByteOrder.LITTLE_ENDIAN);
        int length = code.length / 8;
        int[] context = {access << 16 | type, (int) major, (int) minor}; // struct bpf_cgroup_dev_ctx
        long[] registers = new long[11];
        boolean[] written = new boolean[11];
        written[1] = true; // r1: the context
        int pc = 0;
        while (true) {
            if (pc < 0 || pc >= length) {
                throw new AssertionError("the program runs out of its " + length + " instructions at " + pc);
            }
            int opcode = program.get(pc * 8) & 0xFF;
            int dst = program.get(pc * 8 + 1) & 0x0F;
            int src = (program.get(pc * 8 + 1) & 0xF0) >> 4;
            short off = program.getShort(pc * 8 + 2);
            int imm = program.getInt(pc * 8 + 4);
            int next = pc + 1;
            switch (opcode) {
                case DeviceProgram.LDX_MEM_W -> {
                    read(written, src, pc);
                    if (src != 1 || off % 4 != 0 || off < 0 || off > 8) {
                        throw new AssertionError("instruction " + pc + " reads outside the context: r" + src + "+" + off);
                    }
                    registers[dst] = context[off / 4] & 0xFFFF_FFFFL;
                }
                case DeviceProgram.MOV32_REG -> registers[dst] = read(written, src, pc) & registers[src] & 0xFFFF_FFFFL;
                case DeviceProgram.MOV32_IMM -> registers[dst] = imm & 0xFFFF_FFFFL;
                case DeviceProgram.AND32_IMM -> registers[dst] = read(written, dst, pc) & registers[dst] & imm & 0xFFFF_FFFFL;
                case DeviceProgram.RSH32_IMM -> registers[dst] = read(written, dst, pc) & (registers[dst] & 0xFFFF_FFFFL) >>> imm;
                case DeviceProgram.JNE32_IMM -> next += (read(written, dst, pc) & (int) registers[dst]) != imm ? jump(off, pc) : 0;
                case DeviceProgram.JSET32_IMM -> next += (read(written, dst, pc) & (int) registers[dst] & imm) != 0 ? jump(off, pc) : 0;
                case DeviceProgram.JA -> next += jump(off, pc);
                case DeviceProgram.EXIT -> {
                    read(written, 0, pc);
                    return registers[0];
                }
                default -> throw new AssertionError("instruction " + pc + " has opcode 0x" + Integer.toHexString(opcode)
                        + ", which the device program does not use");
            }
            written[dst] |= opcode != DeviceProgram.JNE32_IMM && opcode != DeviceProgram.JSET32_IMM && opcode != DeviceProgram.JA;
            pc = next;
        }
    }

    /** -1 (all bits) when the register was written, so that it can be and-ed in; fails otherwise. */
    private static int read(boolean[] written, int register, int pc) {
        if (!written[register]) {
            throw new AssertionError("instruction " + pc + " reads r" + register + " before it is written");
        }
        return -1;
    }

    private static int jump(short off, int pc) {
        if (off < 0) {
            throw new AssertionError("instruction " + pc + " jumps backwards");
        }
        return off;
    }
}
