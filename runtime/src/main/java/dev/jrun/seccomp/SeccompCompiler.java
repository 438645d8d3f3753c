package dev.jrun.seccomp;

import dev.jrun.spec.model.Linux;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * linux.seccomp → {@link SeccompFilter}, following runc where config-linux.md leaves a choice (docs/seccomp.md,
 * "What a profile means"):
 * <ul>
 *   <li>the native architecture always has a section, as libseccomp adds it; an architecture this host cannot run
 *       a process of (a foreign one, say SCMP_ARCH_PPC64LE on x86_64) has none, which changes nothing;</li>
 *   <li>a rule whose action is the default action is skipped (libseccomp refuses it; runc skips it);</li>
 *   <li>MASKED_EQ without valueTwo compares with 0 (containerd's default profile relies on it for clone's flags);</li>
 *   <li>a rule naming one argument index twice becomes one rule per condition (runc: they are ORed, not ANDed);</li>
 *   <li>for one syscall, a rule without conditions wins over rules with conditions, which are tried in the spec's
 *       order; of two rules without conditions the first wins (libseccomp's choice: podman's profiles rely on it,
 *       allowing setns to all and refusing it again in a rule for containers without CAP_SYS_ADMIN);</li>
 *   <li>a name no architecture of the filter knows is skipped with a warning when the rule has other names, and
 *       refused when it has none (the profile would not do what it says).</li>
 * </ul>
 */
public final class SeccompCompiler {
    private static final String BASE = "/linux/seccomp";

    private final Arch nativeArch;
    private final List<String> warnings = new ArrayList<>();

    private SeccompCompiler(Arch nativeArch) {
        this.nativeArch = nativeArch;
    }

    /** The filter for a process of the native architecture of this host. */
    public static SeccompFilter compile(Linux.Seccomp seccomp) throws SeccompException {
        return compile(seccomp, Arch.nativeArch());
    }

    public static SeccompFilter compile(Linux.Seccomp seccomp, Arch nativeArch) throws SeccompException {
        return new SeccompCompiler(nativeArch).build(seccomp);
    }

    private SeccompFilter build(Linux.Seccomp seccomp) throws SeccompException {
        if (seccomp.defaultAction() == null) {
            throw new SeccompException(BASE + "/defaultAction", "defaultAction is required (e.g. SCMP_ACT_ERRNO)");
        }
        Action defaultAction = action(seccomp.defaultAction(), seccomp.defaultErrnoRet(), BASE + "/defaultAction", BASE + "/defaultErrnoRet");
        if (defaultAction.kind() == Action.Kind.USER_NOTIF) {
            throw new SeccompException(BASE + "/defaultAction", "SCMP_ACT_NOTIFY cannot be the default action: "
                    + "every syscall, those of the runtime and of the agent's hand-off included, would wait for an agent");
        }
        Set<Arch> archs = architectures(seccomp);
        long flags = flags(seccomp);
        Map<Arch, Map<Long, List<Rule>>> sections = new LinkedHashMap<>();
        archs.forEach(a -> sections.put(a, new HashMap<>()));
        for (int i = 0; i < seccomp.syscalls().size(); i++) {
            addRule(seccomp.syscalls().get(i), BASE + "/syscalls/" + i, defaultAction, sections);
        }
        Map<Arch, Long> enosysAbove = enosysBounds(seccomp, defaultAction, archs);
        SeccompFilter filter = new SeccompFilter(defaultAction, sections, flags, enosysAbove, warnings);
        boolean notifies = filter.notifies();
        if (notifies && (seccomp.listenerPath() == null || seccomp.listenerPath().isEmpty())) {
            throw new SeccompException(BASE + "/listenerPath", "SCMP_ACT_NOTIFY needs listenerPath: the socket of the "
                    + "seccomp agent the runtime hands the notification descriptor to");
        }
        if (!notifies && seccomp.listenerPath() != null && !seccomp.listenerPath().isEmpty()) {
            throw new SeccompException(BASE + "/listenerPath", "listenerPath is set but no rule uses SCMP_ACT_NOTIFY "
                    + "(config-linux.md: it MUST NOT be set then); remove it");
        }
        if (notifies) {
            flags |= FilterFlag.NEW_LISTENER | ((flags & FilterFlag.TSYNC.bit()) != 0 ? FilterFlag.TSYNC_ESRCH : 0);
        } else {
            // It only changes how a notified process waits, and the kernel refuses it without a listener (as libseccomp, left out).
            flags &= ~FilterFlag.WAIT_KILLABLE_RECV.bit();
        }
        filter = new SeccompFilter(defaultAction, sections, flags, enosysAbove, warnings);
        int length = filter.program().length / 8;
        if (length > SeccompFilter.MAX_INSTRUCTIONS) {
            throw new SeccompException(BASE, "the profile compiles to " + length + " BPF instructions; the kernel accepts "
                    + SeccompFilter.MAX_INSTRUCTIONS + " at most. Fewer architectures or rules with fewer conditions make it shorter");
        }
        return filter;
    }

    /**
     * runc's -ENOSYS stub: unless the default action lets syscalls through (ALLOW, LOG, TRACE) or already returns
     * ENOSYS, a syscall numbered above every one the profile names, on an architecture the profile lists, returns
     * ENOSYS, so that libc falls back from a syscall newer than the profile instead of failing with the default's EPERM.
     */
    private static Map<Arch, Long> enosysBounds(Linux.Seccomp seccomp, Action defaultAction, Set<Arch> archs) {
        Set<Action.Kind> permissive = Set.of(Action.Kind.ALLOW, Action.Kind.LOG, Action.Kind.TRACE);
        boolean enosysAlready = seccomp.defaultErrnoRet() != null && seccomp.defaultErrnoRet() == SeccompFilter.ENOSYS.data();
        Map<Arch, Long> bounds = new HashMap<>();
        if (enosysAlready || permissive.contains(defaultAction.kind())) {
            return bounds;
        }
        for (String name : seccomp.architectures()) {
            Arch.ofSpecName(name).filter(archs::contains).ifPresent(arch -> seccomp.syscalls().stream()
                    .flatMap(rule -> rule.names().stream())
                    .map(n -> SyscallTable.number(arch, n))
                    .filter(java.util.OptionalLong::isPresent)
                    .mapToLong(java.util.OptionalLong::getAsLong)
                    .max()
                    .ifPresent(max -> bounds.put(arch, max)));
        }
        return bounds;
    }

    private Set<Arch> architectures(Linux.Seccomp seccomp) throws SeccompException {
        Set<Arch> archs = new LinkedHashSet<>();
        archs.add(nativeArch);
        for (int i = 0; i < seccomp.architectures().size(); i++) {
            String name = seccomp.architectures().get(i);
            var arch = Arch.ofSpecName(name);
            if (arch.isPresent()) {
                if (nativeArch.reachable().contains(arch.get())) {
                    archs.add(arch.get());
                }
            } else if (!name.startsWith("SCMP_ARCH_")) {
                throw new SeccompException(BASE + "/architectures/" + i, "unknown architecture " + name + " (SCMP_ARCH_X86_64, SCMP_ARCH_X86, …)");
            }
            // Another SCMP_ARCH_* (MIPS, PPC, S390, RISCV…) cannot run on this host: a section for it would never be reached.
        }
        return archs;
    }

    private static long flags(Linux.Seccomp seccomp) throws SeccompException {
        long flags = 0;
        for (int i = 0; i < seccomp.flags().size(); i++) {
            String name = seccomp.flags().get(i);
            FilterFlag flag = FilterFlag.ofSpecName(name).orElseThrow(() -> new SeccompException(BASE + "/flags",
                    "unknown seccomp flag " + name + "; jrun knows " + String.join(", ", FilterFlag.specNames())));
            flags |= flag.bit();
        }
        return flags;
    }

    private static Action action(String name, Long errnoRet, String pointer, String errnoPointer) throws SeccompException {
        Action.Kind kind = Action.kindOf(name).orElseThrow(() -> new SeccompException(pointer,
                "unknown seccomp action " + name + "; jrun knows " + String.join(", ", Action.specNames())));
        if (errnoRet == null) {
            return Action.of(kind);
        }
        if (!kind.takesData()) {
            throw new SeccompException(errnoPointer, name + " returns no errno (only SCMP_ACT_ERRNO and SCMP_ACT_TRACE do); remove it");
        }
        if (errnoRet < 0 || errnoRet > Action.MAX_ERRNO) {
            throw new SeccompException(errnoPointer, "errno " + errnoRet + " is out of range: the kernel returns 1 to "
                    + Action.MAX_ERRNO + " at most");
        }
        return new Action(kind, (int) (long) errnoRet);
    }

    private void addRule(Linux.Seccomp.Syscall syscall, String pointer, Action defaultAction, Map<Arch, Map<Long, List<Rule>>> sections)
            throws SeccompException {
        if (syscall.action() == null) {
            throw new SeccompException(pointer + "/action", "a rule needs an action (e.g. SCMP_ACT_ALLOW)");
        }
        Action action = action(syscall.action(), syscall.errnoRet(), pointer + "/action", pointer + "/errnoRet");
        List<List<Condition>> alternatives = conditions(syscall.args(), pointer);
        List<String> unknown = new ArrayList<>();
        for (String name : syscall.names()) {
            boolean known = false;
            for (var section : sections.entrySet()) {
                OptionalLong nr = SyscallTable.number(section.getKey(), name);
                if (nr.isEmpty()) {
                    continue;
                }
                known = true;
                if (action.equals(defaultAction)) {
                    continue; // runc: libseccomp refuses a rule with the default action; it is the default anyway
                }
                List<Rule> rules = section.getValue().computeIfAbsent(nr.getAsLong(), n -> new ArrayList<>());
                for (List<Condition> conditions : alternatives) {
                    add(rules, new Rule(action, conditions, pointer));
                }
            }
            if (!known) {
                unknown.add(name);
            }
        }
        if (unknown.isEmpty()) {
            return;
        }
        if (unknown.size() == syscall.names().size()) {
            throw new SeccompException(pointer + "/names", "no architecture of the filter has a syscall named "
                    + String.join(", ", unknown) + " (jrun's tables: the Linux UAPI headers, docs/seccomp.md); the rule would "
                    + "apply to nothing. Check the spelling, or remove the rule");
        }
        warnings.add(pointer + "/names: skipped " + String.join(", ", unknown) + ": no architecture of the filter has such a syscall");
    }

    /** Keeps the syscall's rules in the order they are tried: an unconditional one ends the list. */
    private static void add(List<Rule> rules, Rule rule) {
        if (!rules.isEmpty() && rules.getFirst().unconditional()) {
            return;
        }
        if (rule.unconditional()) {
            rules.clear();
        }
        rules.add(rule);
    }

    /** The rule's conditions, ANDed; or, when an index appears twice, each one alone (runc ORs them). */
    private static List<List<Condition>> conditions(List<Linux.Seccomp.Arg> args, String pointer) throws SeccompException {
        List<Condition> conditions = new ArrayList<>();
        Set<Integer> indexes = new LinkedHashSet<>();
        boolean repeated = false;
        for (int i = 0; i < args.size(); i++) {
            Linux.Seccomp.Arg arg = args.get(i);
            String at = pointer + "/args/" + i;
            if (arg.index() < 0 || arg.index() >= Condition.MAX_ARGS) {
                throw new SeccompException(at + "/index", "argument index " + arg.index() + ": a syscall has arguments 0 to 5");
            }
            Condition.Op op = Condition.Op.ofSpecName(arg.op()).orElseThrow(() -> new SeccompException(at + "/op",
                    "unknown operator " + arg.op() + "; jrun knows " + String.join(", ", Condition.Op.specNames())));
            repeated |= !indexes.add((int) arg.index());
            conditions.add(new Condition((int) arg.index(), op, arg.value(), arg.valueTwo() == null ? 0 : arg.valueTwo()));
        }
        if (!repeated) {
            return List.of(conditions);
        }
        return conditions.stream().map(List::of).toList();
    }
}
