package dev.jrun.cgroup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The list v1's devices controller keeps for a cgroup (security/device_cgroup.c), as the kernel builds it from the
 * writes {@link DeviceRules#v1} makes: a default verdict and exceptions to it, each keyed by its exact type, major and
 * minor ('*' included). That is what cgroup v2's device program must reproduce, and it is not "the last matching rule
 * wins":
 *
 * <ul>
 *   <li>a rule of type a resets the list: the default becomes its verdict, and every exception goes;</li>
 *   <li>a rule whose verdict differs from the default adds an exception, or adds its access to the exception of the
 *       same key;</li>
 *   <li>a rule whose verdict is the default's takes its access away from the exception of the same key only: it
 *       punches no hole in a wider one ("c *:* rwm" allowed, "c 1:3 rwm" denied still allows 1:3);</li>
 *   <li>on access, with a deny default one exception must hold every bit asked for; with an allow default, an
 *       exception that holds any bit asked for denies.</li>
 * </ul>
 *
 * A new cgroup starts from its parent's list; the v2 program starts from allow, since the parent's own programs keep
 * running for the cgroups below them, as a v1 child can never exceed its parent.
 */
final class DeviceList {
    /** One exception to the default (the kernel's word): its verdict is the opposite of the default's. */
    record Entry(char type, long major, long minor, int access) {}

    private record Key(char type, long major, long minor) {}

    private final boolean defaultAllow;
    private final List<Entry> exceptions;

    private DeviceList(boolean defaultAllow, List<Entry> exceptions) {
        this.defaultAllow = defaultAllow;
        this.exceptions = List.copyOf(exceptions);
    }

    /** The list after applying rules in order to a cgroup that allows everything. */
    static DeviceList of(List<DeviceRules.Rule> rules) {
        boolean defaultAllow = true;
        Map<Key, Integer> exceptions = new LinkedHashMap<>();
        for (DeviceRules.Rule rule : rules) {
            if (rule.type() == 'a') {
                defaultAllow = rule.allow();
                exceptions.clear();
                continue;
            }
            Key key = new Key(rule.type(), rule.major(), rule.minor());
            if (rule.allow() != defaultAllow) {
                exceptions.merge(key, rule.access(), (a, b) -> a | b);
            } else {
                exceptions.computeIfPresent(key, (_, access) -> (access & ~rule.access()) == 0 ? null : access & ~rule.access());
            }
        }
        List<Entry> list = new ArrayList<>();
        exceptions.forEach((key, access) -> list.add(new Entry(key.type(), key.major(), key.minor(), access)));
        return new DeviceList(defaultAllow, list);
    }

    boolean defaultAllow() {
        return defaultAllow;
    }

    List<Entry> exceptions() {
        return exceptions;
    }

    /**
     * The kernel's verdict (devcgroup_legacy_check_permission) on an access to a device: type 'c' or 'b', access the bits
     * asked for at once (read and write together for an O_RDWR open).
     */
    boolean permits(char type, long major, long minor, int access) {
        for (Entry e : exceptions) {
            boolean matches = e.type() == type && (e.major() == DeviceRules.ANY || e.major() == major)
                    && (e.minor() == DeviceRules.ANY || e.minor() == minor);
            if (matches && defaultAllow && (access & e.access()) != 0) {
                return false;
            }
            if (matches && !defaultAllow && (access & ~e.access()) == 0) {
                return true;
            }
        }
        return defaultAllow;
    }
}
