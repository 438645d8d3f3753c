package dev.jrun.seccomp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * linux.seccomp resolved for one host: per architecture, the rules of each syscall number, in the order they are
 * tried ({@link SeccompCompiler} decides which apply), the default action and the seccomp(2) flags. What the filter
 * does is defined here ({@link #verdict}); {@link BpfWriter} turns it into the classic BPF program that does the same.
 */
public final class SeccompFilter {
    /** The kernel refuses a longer program (BPF_MAXINSNS). */
    public static final int MAX_INSTRUCTIONS = 4096;
    /** What a syscall of an architecture outside the filter gets: libseccomp's default (SCMP_ACT_KILL). */
    public static final Action BAD_ARCH = Action.of(Action.Kind.KILL_THREAD);

    private final Action defaultAction;
    private final Map<Arch, SortedMap<Long, List<Rule>>> sections;
    private final long flags;
    private final Map<Arch, Long> enosysAbove;
    private final List<String> warnings;
    /** The program, made on first use (the compiler measures it, the planner encodes it). */
    private byte[] program;

    /** What a syscall newer than the profile gets (runc's -ENOSYS stub): libc then falls back to an older call. */
    public static final Action ENOSYS = new Action(Action.Kind.ERRNO, 38);

    /**
     * @param enosysAbove per architecture, the highest syscall number the profile names: any higher one returns
     *                    {@link #ENOSYS} (architectures without an entry: no such bound)
     */
    SeccompFilter(Action defaultAction, Map<Arch, ? extends Map<Long, List<Rule>>> sections, long flags, Map<Arch, Long> enosysAbove,
                  List<String> warnings) {
        this.defaultAction = defaultAction;
        Map<Arch, SortedMap<Long, List<Rule>>> copy = new LinkedHashMap<>();
        sections.forEach((arch, rules) -> {
            SortedMap<Long, List<Rule>> byNumber = new TreeMap<>();
            rules.forEach((nr, list) -> byNumber.put(nr, List.copyOf(list)));
            copy.put(arch, Collections.unmodifiableSortedMap(byNumber));
        });
        this.sections = Collections.unmodifiableMap(copy);
        this.flags = flags;
        this.enosysAbove = Map.copyOf(enosysAbove);
        this.warnings = List.copyOf(warnings);
    }

    public Action defaultAction() {
        return defaultAction;
    }

    /** The architectures the filter has a section for, the native one first (the order the program tests them). */
    public Set<Arch> architectures() {
        return sections.keySet();
    }

    /** Syscall number → its rules, in the order they are tried, for one architecture of the filter. */
    public SortedMap<Long, List<Rule>> rules(Arch arch) {
        return sections.getOrDefault(arch, Collections.emptySortedMap());
    }

    /** The highest syscall number of arch the profile names, above which every syscall returns {@link #ENOSYS}; null: none. */
    public Long enosysAbove(Arch arch) {
        return enosysAbove.get(arch);
    }

    /** seccomp(2)'s flags for SECCOMP_SET_MODE_FILTER. */
    public long flags() {
        return flags;
    }

    /** Whether some rule notifies a seccomp agent (the load must ask for a listener). */
    public boolean notifies() {
        return sections.values().stream().flatMap(m -> m.values().stream()).flatMap(List::stream)
                .anyMatch(r -> r.action().kind() == Action.Kind.USER_NOTIF);
    }

    /** What create should tell the user: names it skipped, rules that cannot apply. */
    public List<String> warnings() {
        return warnings;
    }

    /**
     * What the filter returns for this syscall number (unsigned 32-bit) under this architecture's audit arch, with these
     * arguments: the reference semantics. x86_64 and x32 share their audit arch, the x32 bit decides between them.
     */
    public Action verdict(Arch auditArch, long nr, long... args) {
        Arch arch = sectionOf(auditArch, nr);
        if (!sections.containsKey(arch)) {
            return BAD_ARCH;
        }
        Long bound = enosysAbove.get(arch);
        if (bound != null && nr > bound) {
            return ENOSYS;
        }
        for (Rule rule : rules(arch).getOrDefault(nr, List.of())) {
            if (rule.conditions().stream().allMatch(c -> c.test(c.index() < args.length ? args[c.index()] : 0, arch.wideArgs()))) {
                return rule.action();
            }
        }
        return defaultAction;
    }

    private static Arch sectionOf(Arch auditArch, long nr) {
        if (auditArch == Arch.X86_64 || auditArch == Arch.X32) {
            return nr >= Arch.X32_SYSCALL_BIT ? Arch.X32 : Arch.X86_64;
        }
        return auditArch;
    }

    /** Every action the filter may return for this syscall of arch, whatever its arguments. */
    public Set<Action> possibleActions(Arch arch, long nr) {
        Set<Action> actions = new LinkedHashSet<>();
        Long bound = enosysAbove.get(arch);
        if (bound != null && nr > bound) {
            return Set.of(ENOSYS);
        }
        List<Rule> rules = rules(arch).getOrDefault(nr, List.of());
        for (Rule rule : rules) {
            actions.add(rule.action());
            if (rule.unconditional()) {
                return actions;
            }
        }
        actions.add(defaultAction);
        return actions;
    }

    /** The classic BPF program (struct sock_filter[], in the host's byte order). */
    public synchronized byte[] program() {
        if (program == null) {
            program = BpfWriter.write(this);
        }
        return program.clone();
    }
}
