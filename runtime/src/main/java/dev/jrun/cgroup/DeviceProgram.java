package dev.jrun.cgroup;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link DeviceList} as a BPF_PROG_TYPE_CGROUP_DEVICE program: eBPF instructions (struct bpf_insn, 8 bytes each,
 * little-endian as on x86_64 and arm64) over struct bpf_cgroup_dev_ctx, returning 1 to allow the access and 0 to deny
 * it. jrun assembles it itself (docs/cgroups.md, "Device rules"): the program is a straight line of comparisons, a
 * block per exception, so a few opcodes suffice and no compiler or libbpf is needed.
 *
 * <pre>
 *   r2 = ctx-&gt;access_type; r3 = r2; r2 &amp;= 0xffff (device type); r3 &gt;&gt;= 16 (access bits)
 *   r4 = ctx-&gt;major; r5 = ctx-&gt;minor
 *   per exception: if type, major, minor (unless '*') or the access differ, go to the next block;
 *                  else return the exception's verdict
 *   return the default
 * </pre>
 *
 * Comparisons are 32-bit (BPF_JMP32, Linux 5.1+), as the context's fields are u32. Every jump goes forward, so the
 * verifier's work is linear in the program's length.
 */
public final class DeviceProgram {
    /** BPF_MAXINSNS: the kernel's limit without CAP_BPF; jrun stays below it whatever its privileges. */
    static final int MAX_INSTRUCTIONS = 4096;

    // opcodes: class | operation | source (linux/bpf_common.h, linux/bpf.h)
    static final int LDX_MEM_W = 0x61;   // BPF_LDX | BPF_MEM | BPF_W
    static final int MOV32_REG = 0xbc;   // BPF_ALU | BPF_MOV | BPF_X
    static final int MOV32_IMM = 0xb4;   // BPF_ALU | BPF_MOV | BPF_K
    static final int AND32_IMM = 0x54;   // BPF_ALU | BPF_AND | BPF_K
    static final int RSH32_IMM = 0x74;   // BPF_ALU | BPF_RSH | BPF_K
    static final int JNE32_IMM = 0x56;   // BPF_JMP32 | BPF_JNE | BPF_K
    static final int JSET32_IMM = 0x46;  // BPF_JMP32 | BPF_JSET | BPF_K
    static final int JA = 0x05;          // BPF_JMP | BPF_JA
    static final int EXIT = 0x95;        // BPF_JMP | BPF_EXIT

    /** The device types as the context gives them (BPF_DEVCG_DEV_*). */
    static final int BLOCK = 1;
    static final int CHAR = 2;

    private static final int R0 = 0, R1 = 1, TYPE = 2, ACCESS = 3, MAJOR = 4, MINOR = 5;
    /** An offset to be set to the end of the block the instruction is in. */
    private static final int TO_NEXT_BLOCK = Integer.MIN_VALUE;

    private record Insn(int opcode, int dst, int src, int off, int imm) {}

    private final byte[] code;

    private DeviceProgram(byte[] code) {
        this.code = code;
    }

    static DeviceProgram of(DeviceList list) {
        List<Insn> program = new ArrayList<>(List.of(
                new Insn(LDX_MEM_W, TYPE, R1, 0, 0),    // access_type
                new Insn(MOV32_REG, ACCESS, TYPE, 0, 0),
                new Insn(AND32_IMM, TYPE, 0, 0, 0xFFFF),
                new Insn(RSH32_IMM, ACCESS, 0, 0, 16),
                new Insn(LDX_MEM_W, MAJOR, R1, 4, 0),   // major
                new Insn(LDX_MEM_W, MINOR, R1, 8, 0))); // minor
        for (DeviceList.Entry entry : list.exceptions()) {
            program.addAll(block(entry, !list.defaultAllow()));
        }
        program.addAll(verdict(list.defaultAllow()));
        ByteBuffer bytes = ByteBuffer.allocate(program.size() * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (Insn insn : program) {
            bytes.put((byte) insn.opcode()).put((byte) (insn.dst() | insn.src() << 4)).putShort((short) insn.off()).putInt(insn.imm());
        }
        return new DeviceProgram(bytes.array());
    }

    /** The instructions for one exception, each failed test jumping to the end of the block. */
    private static List<Insn> block(DeviceList.Entry entry, boolean allow) {
        List<Insn> block = new ArrayList<>();
        block.add(new Insn(JNE32_IMM, TYPE, 0, TO_NEXT_BLOCK, entry.type() == 'b' ? BLOCK : CHAR));
        if (entry.major() != DeviceRules.ANY) {
            block.add(new Insn(JNE32_IMM, MAJOR, 0, TO_NEXT_BLOCK, (int) entry.major())); // the low 32 bits: u32 == u32
        }
        if (entry.minor() != DeviceRules.ANY) {
            block.add(new Insn(JNE32_IMM, MINOR, 0, TO_NEXT_BLOCK, (int) entry.minor()));
        }
        if (allow) {
            // allows only when every bit asked for is the entry's: any bit outside it goes on
            block.add(new Insn(JSET32_IMM, ACCESS, 0, TO_NEXT_BLOCK, ~entry.access()));
        } else {
            // denies when any bit asked for is the entry's: on to the verdict, else on to the next block
            block.add(new Insn(JSET32_IMM, ACCESS, 0, 1, entry.access()));
            block.add(new Insn(JA, 0, 0, TO_NEXT_BLOCK, 0));
        }
        block.addAll(verdict(allow));
        List<Insn> resolved = new ArrayList<>(block.size());
        for (int i = 0; i < block.size(); i++) {
            Insn insn = block.get(i);
            resolved.add(insn.off() == TO_NEXT_BLOCK ? new Insn(insn.opcode(), insn.dst(), insn.src(), block.size() - i - 1, insn.imm()) : insn);
        }
        return resolved;
    }

    private static List<Insn> verdict(boolean allow) {
        return List.of(new Insn(MOV32_IMM, R0, 0, 0, allow ? 1 : 0), new Insn(EXIT, 0, 0, 0, 0));
    }

    /** Instructions as they are, unchecked: for tests of what the kernel refuses. */
    static DeviceProgram ofInstructions(byte[] code) {
        return new DeviceProgram(code.clone());
    }

    /** The program's bytes: struct bpf_insn after struct bpf_insn, for BPF_PROG_LOAD. */
    public byte[] instructions() {
        return code.clone();
    }

    /** How many instructions it has. */
    public int length() {
        return code.length / 8;
    }
}
