package dev.jrun.plan;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes a plan in the binary form of docs/init-protocol.md ("JRUNPLAN", version, steps; little-endian).
 * Every step is checked against its {@link Op}'s signature and the plan against {@link PlanFormat.Limit}:
 * the planner refuses oversized specs with a pointer first ({@link PlanLimits}), so a failure here is a bug.
 */
public final class PlanEncoder {
    private static final byte[] MAGIC = PlanFormat.MAGIC.getBytes(StandardCharsets.US_ASCII);
    private static final int KIND_INTEGER = 0;
    private static final int KIND_BYTES = 1;

    private PlanEncoder() {}

    public static byte[] encode(Plan plan) {
        var out = new ByteArrayOutputStream();
        out.writeBytes(MAGIC);
        writeInt(out, PlanFormat.VERSION);
        require(plan.steps().size() <= PlanFormat.Limit.MAX_STEPS.value(), "the plan has " + plan.steps().size() + " steps");
        writeInt(out, plan.steps().size());
        for (PlannedStep planned : plan.steps()) {
            Step step = planned.step();
            List<Object> args = arguments(step);
            require(step.op().accepts(args), step.name() + " arguments " + args + " do not fit its signature " + step.op().signature());
            require(args.size() <= PlanFormat.Limit.MAX_ARGS.value(), step.name() + " has " + args.size() + " arguments");
            writeShort(out, step.op().code());
            writeShort(out, args.size());
            for (Object arg : args) {
                if (arg instanceof Long number) {
                    out.write(KIND_INTEGER);
                    writeLong(out, number);
                } else {
                    byte[] bytes = ((String) arg).getBytes(StandardCharsets.UTF_8);
                    require(bytes.length <= PlanFormat.Limit.MAX_STRING.value(), step.name() + " has a string of " + bytes.length + " bytes");
                    out.write(KIND_BYTES);
                    writeInt(out, bytes.length);
                    out.writeBytes(bytes);
                }
            }
        }
        return out.toByteArray();
    }

    private static void require(boolean condition, String what) {
        if (!condition) {
            throw new IllegalArgumentException("cannot encode the plan for jrun-init: " + what + " (a bug: the planner checks this first)");
        }
    }

    /** The protocol arguments of a step, in order: Long for integers, String for strings. */
    public static List<Object> arguments(Step step) {
        return switch (step) {
            case Step.OpenNamespace s -> List.of(s.path(), s.nstype());
            case Step.EnterNamespaces s -> List.of();
            case Step.JoinKeyring s -> List.of(s.name());
            case Step.CopyUp s -> List.of(s.source(), s.target(), s.fstype(), s.flags(), s.data());
            case Step.Unshare s -> List.of(s.flags());
            case Step.Clone s -> {
                List<Object> args = new ArrayList<>(List.of(s.flags(), (long) s.mode().ordinal()));
                s.relayedSignals().forEach(signal -> args.add((long) signal));
                yield args;
            }
            case Step.Sync s -> List.of(s.point().tag());
            case Step.Mount s -> List.of(s.source(), s.target(), s.fstype(), s.flags(), s.data());
            case Step.MakeDirectories s -> List.of(s.path(), s.mode());
            case Step.PivotRoot s -> List.of(s.newRoot());
            case Step.Chroot s -> List.of(s.newRoot());
            case Step.MoveRoot s -> List.of(s.newRoot());
            case Step.SetHostname s -> List.of(s.hostname());
            case Step.SetDomainname s -> List.of(s.domainname());
            case Step.Chdir s -> List.of(s.path());
            case Step.SetRlimit s -> List.of((long) s.resource(), s.soft(), s.hard());
            case Step.SetGroups s -> new ArrayList<>(s.gids());
            case Step.SetResGid s -> List.of(s.gid());
            case Step.SetResUid s -> List.of(s.uid());
            case Step.Umask s -> List.of(s.mask());
            case Step.Prctl s -> List.of(s.option(), s.arg2());
            case Step.ListenStart s -> List.of(s.socketPath());
            case Step.Ready s -> List.of();
            case Step.AwaitStart s -> List.of();
            case Step.Exec s -> {
                List<Object> args = new ArrayList<>();
                args.add(s.path());
                args.add((long) s.args().size());
                args.addAll(s.args());
                args.addAll(s.env());
                yield args;
            }
            case Step.Symlink s -> List.of(s.target(), s.linkPath());
            case Step.Mknod s -> List.of(s.path(), s.mode(), s.major(), s.minor());
            case Step.WriteFile s -> List.of(s.path(), s.content());
            case Step.Lookup s -> List.of(s.program(), s.searchPath());
            case Step.CloseFds s -> List.of((long) s.preserved());
            case Step.CreateFile s -> List.of(s.path(), s.mode());
            case Step.MaskPath s -> List.of(s.path());
            case Step.ReadonlyPath s -> List.of(s.path(), s.keepFlags());
            case Step.DropBounding s -> List.of(s.keep());
            case Step.SetCaps s -> List.of(s.effective(), s.permitted(), s.inheritable(), s.ambient());
            case Step.RootScope s -> List.of(s.root());
            case Step.CloneTree s -> List.of(s.source(), s.recursive() ? 1L : 0L);
            case Step.AttachTree s -> List.of((long) s.slot(), s.target());
            case Step.Chown s -> List.of(s.path(), s.uid(), s.gid());
            case Step.LoopbackUp s -> List.of();
            case Step.Setsid s -> List.of();
            case Step.ConsoleConnect s -> List.of(s.socketPath());
            case Step.ConsoleAttach s -> List.of(s.bindDevConsole() ? 1L : 0L, (long) s.rows(), (long) s.columns(), s.owner());
            case Step.ConsolePair s -> List.of();
            case Step.NotePid s -> List.of();
            case Step.RunHook s -> {
                List<Object> args = new ArrayList<>(List.of(s.label(), s.path(), s.timeoutSeconds(), s.stateBeforePid(),
                        s.stateAfterPid(), (long) s.args().size()));
                args.addAll(s.args());
                args.addAll(s.env());
                yield args;
            }
            case Step.Seccomp s -> List.of(s.flags(), s.program(), s.text());
            case Step.ProcessAttr s -> {
                List<Object> args = new java.util.ArrayList<>();
                args.add((long) s.attribute().code());
                args.addAll(s.values());
                yield args;
            }
        };
    }

    private static void writeShort(ByteArrayOutputStream out, int value) {
        out.writeBytes(ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) value).array());
    }

    private static void writeInt(ByteArrayOutputStream out, int value) {
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array());
    }

    private static void writeLong(ByteArrayOutputStream out, long value) {
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
    }
}
