package dev.jrun.cgroup;

import dev.jrun.spec.model.Linux;
import dev.jrun.spec.model.Resources;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * linux.resources.devices, the device allowlist, as writes into a v1 devices cgroup (devices.allow and devices.deny,
 * one rule per write, in the listed order as config-linux.md asks). A new devices cgroup starts with its parent's
 * list; a spec that first denies everything (what podman and containerd send) starts from an empty list.
 *
 * <p>After the spec's rules come the devices every container may use whatever the spec says, as runc appends them:
 * mknod of any node, the default nodes jrun makes in /dev (config-linux.md "Default Devices"), /dev/console, the
 * pseudo-terminals, and each node of linux.devices. Without them a spec that denies all would leave the container
 * unable to open its own /dev/null.
 */
final class DeviceRules {
    private static final String POINTER = ResourceTranslation.ROOT + "/devices";
    private static final Pattern ACCESS = Pattern.compile("[rwm]{1,3}");

    /** "type major:minor access", '*' for any number: the lines devices.allow takes. */
    static final List<String> ALWAYS_ALLOWED = List.of(
            "c *:* m", "b *:* m",                  // mknod; opening a node still needs its own rule
            "c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm", // /dev/null, /dev/zero, /dev/full
            "c 1:8 rwm", "c 1:9 rwm",              // /dev/random, /dev/urandom
            "c 5:0 rwm", "c 5:1 rwm",              // /dev/tty, /dev/console
            "c 5:2 rwm", "c 136:* rwm");           // /dev/ptmx, /dev/pts/*

    private DeviceRules() {}

    /** Adds the writes to out, refusing (through out) every malformed rule. */
    static void v1(List<Resources.DeviceRule> rules, List<Linux.Device> devices, ResourceTranslation out) {
        if (rules.isEmpty()) {
            return; // the parent's list stays: nothing was asked
        }
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
            // type a matches every device whatever the numbers, as the kernel reads "a" alone
            String line = type.equals("a") ? "a" : type + " " + number(rule.major()) + ":" + number(rule.minor()) + " " + access;
            out.write("devices", rule.allow() ? "devices.allow" : "devices.deny", line, pointer);
        }
        for (String always : ALWAYS_ALLOWED) {
            out.write("devices", "devices.allow", always, POINTER + " (allowed to every container)");
        }
        for (int i = 0; i < devices.size(); i++) {
            Linux.Device device = devices.get(i);
            if (device.major() != null && device.minor() != null && List.of("c", "b", "u").contains(device.type())) {
                String type = device.type().equals("b") ? "b" : "c";
                out.write("devices", "devices.allow", type + " " + device.major() + ":" + device.minor() + " rwm",
                        "/linux/devices/" + i);
            }
        }
    }

    private static boolean negative(Long number) {
        return number != null && number < 0;
    }

    private static String number(Long number) {
        return number == null ? "*" : Long.toString(number);
    }
}
