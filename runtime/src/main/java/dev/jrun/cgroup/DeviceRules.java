package dev.jrun.cgroup;

import dev.jrun.spec.model.Linux;
import dev.jrun.spec.model.Resources;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * linux.resources.devices, the device allowlist, checked and completed into the list of rules both cgroup versions
 * apply (docs/cgroups.md, "Device rules"): on v1 one write into devices.allow or devices.deny per rule, in the listed
 * order as config-linux.md asks; on v2 a BPF program ({@link DeviceProgram}) that gives the verdicts v1's kernel would
 * give for the same writes ({@link DeviceList}).
 *
 * <p>After the spec's rules come the devices every container may use whatever the spec says, as runc appends them:
 * mknod of any node, the default nodes jrun makes in /dev (config-linux.md "Default Devices"), /dev/console, the
 * pseudo-terminals, and each node of linux.devices. Without them a spec that denies all would leave the container
 * unable to open its own /dev/null.
 */
final class DeviceRules {
    /** The kernel's access bits (DEVCG_ACC_* and BPF_DEVCG_ACC_* are the same numbers). */
    static final int MKNOD = 1;
    static final int READ = 2;
    static final int WRITE = 4;
    static final int ALL = MKNOD | READ | WRITE;
    /** A device number left out: any. */
    static final long ANY = -1;

    private static final String POINTER = ResourceTranslation.ROOT + "/devices";
    private static final String ALWAYS = POINTER + " (allowed to every container)";
    private static final Pattern ACCESS = Pattern.compile("[rwm]{1,3}");
    /** The kernel reads device numbers as u32 (and the BPF context holds them as such). */
    private static final long MAX_NUMBER = 0xFFFF_FFFFL;

    /**
     * One rule as the kernel takes it.
     *
     * @param type   'a' (every device, every access: the whole list is reset), 'c' or 'b'
     * @param major  {@link #ANY} when left out
     * @param access bits of {@link #MKNOD}, {@link #READ}, {@link #WRITE}
     * @param source the JSON pointer it comes from, named when the kernel refuses it
     */
    record Rule(boolean allow, char type, long major, long minor, int access, String source) {
        /** The line devices.allow and devices.deny take: "a" alone for type a, else "c 1:3 rwm" with '*' for any. */
        String line() {
            if (type == 'a') {
                return "a";
            }
            return type + " " + number(major) + ":" + number(minor) + " " + letters(access);
        }

        private static String number(long number) {
            return number == ANY ? "*" : Long.toString(number);
        }

        private static String letters(int access) {
            return ((access & READ) != 0 ? "r" : "") + ((access & WRITE) != 0 ? "w" : "") + ((access & MKNOD) != 0 ? "m" : "");
        }
    }

    static final List<Rule> ALWAYS_ALLOWED = List.of(
            always('c', ANY, ANY, MKNOD), always('b', ANY, ANY, MKNOD), // mknod; opening a node still needs its own rule
            always('c', 1, 3, ALL), always('c', 1, 5, ALL), always('c', 1, 7, ALL), // /dev/null, /dev/zero, /dev/full
            always('c', 1, 8, ALL), always('c', 1, 9, ALL),                          // /dev/random, /dev/urandom
            always('c', 5, 0, ALL), always('c', 5, 1, ALL),                          // /dev/tty, /dev/console
            always('c', 5, 2, ALL), always('c', 136, ANY, ALL));                     // /dev/ptmx, /dev/pts/*

    private DeviceRules() {}

    private static Rule always(char type, long major, long minor, int access) {
        return new Rule(true, type, major, minor, access, ALWAYS);
    }

    /** v1: the writes into the devices hierarchy, refusing (through out) every malformed rule. */
    static void v1(List<Resources.DeviceRule> rules, List<Linux.Device> devices, ResourceTranslation out) {
        for (Rule rule : effective(rules, devices, out)) {
            out.write("devices", rule.allow() ? "devices.allow" : "devices.deny", rule.line(), rule.source());
        }
    }

    /**
     * v2: the program that gives v1's verdicts for the same rules, for create to attach to the container's cgroup; a
     * list too long for one program is refused.
     */
    static void v2(List<Resources.DeviceRule> rules, List<Linux.Device> devices, ResourceTranslation out) {
        List<Rule> effective = effective(rules, devices, out);
        if (effective.isEmpty()) {
            return;
        }
        DeviceList list = DeviceList.of(effective);
        DeviceProgram program = DeviceProgram.of(list);
        if (program.length() > DeviceProgram.MAX_INSTRUCTIONS) {
            out.refuse(POINTER, "the rules leave " + list.exceptions().size() + " exceptions to the default, a device program of "
                    + program.length() + " BPF instructions, above the " + DeviceProgram.MAX_INSTRUCTIONS
                    + " jrun loads: merge rules (a '*' for any number covers many)");
            return;
        }
        out.deviceProgram(program);
    }

    /**
     * The spec's rules, then what is always allowed; empty when the spec has no rules, which leaves the new cgroup with
     * its parent's list (v1) or no program of its own (v2). Malformed rules are refused through out and left out.
     */
    static List<Rule> effective(List<Resources.DeviceRule> rules, List<Linux.Device> devices, ResourceTranslation out) {
        if (rules.isEmpty()) {
            return List.of();
        }
        List<Rule> effective = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            Resources.DeviceRule rule = rules.get(i);
            String pointer = POINTER + "/" + i;
            String type = rule.type() == null ? "a" : rule.type();
            String access = rule.access() == null || rule.access().isEmpty() ? "rwm" : rule.access();
            if (!List.of("a", "c", "b").contains(type)) {
                out.refuse(pointer + "/type", "\"" + type + "\" is not a device type; use a (all), c (char) or b (block)");
                continue;
            }
            if (!ACCESS.matcher(access).matches() || access.chars().distinct().count() != access.length()) {
                out.refuse(pointer + "/access", "\"" + access + "\" is not an access list; use letters of rwm, each once");
                continue;
            }
            if (type.equals("a") && !(access.length() == 3)) {
                out.refuse(pointer + "/access", "type a stands for every device and every access; \"" + access
                        + "\" cannot be applied to it (v1 has no such rule): use rwm, or name a type");
                continue;
            }
            if (negative(rule.major()) || negative(rule.minor())) {
                out.refuse(pointer, "a device number is negative; leave it out to mean any");
                continue;
            }
            if (tooLarge(rule.major()) || tooLarge(rule.minor())) {
                out.refuse(pointer, "a device number is above " + MAX_NUMBER + ", the largest the kernel takes");
                continue;
            }
            // type a matches every device whatever the numbers, as the kernel reads "a" alone
            effective.add(type.equals("a") ? new Rule(rule.allow(), 'a', ANY, ANY, ALL, pointer)
                    : new Rule(rule.allow(), type.charAt(0), numberOf(rule.major()), numberOf(rule.minor()), bits(access), pointer));
        }
        effective.addAll(ALWAYS_ALLOWED);
        for (int i = 0; i < devices.size(); i++) {
            Linux.Device device = devices.get(i);
            if (device.major() != null && device.minor() != null && List.of("c", "b", "u").contains(device.type())) {
                char type = device.type().equals("b") ? 'b' : 'c';
                effective.add(new Rule(true, type, device.major(), device.minor(), ALL, "/linux/devices/" + i));
            }
        }
        return effective;
    }

    private static int bits(String access) {
        return (access.indexOf('r') >= 0 ? READ : 0) | (access.indexOf('w') >= 0 ? WRITE : 0) | (access.indexOf('m') >= 0 ? MKNOD : 0);
    }

    private static boolean negative(Long number) {
        return number != null && number < 0;
    }

    private static boolean tooLarge(Long number) {
        return number != null && number > MAX_NUMBER;
    }

    private static long numberOf(Long number) {
        return number == null ? ANY : number;
    }
}
