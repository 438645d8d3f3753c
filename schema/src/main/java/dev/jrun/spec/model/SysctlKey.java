package dev.jrun.spec.model;

import java.util.ArrayList;
import java.util.List;

/**
 * A linux.sysctl key and the one file below /proc/sys it names. Keys come in the two forms sysctl(8) and runc
 * accept, told apart by the first separator: dot form "net.ipv4.ip_forward", where a '/' stands for a literal
 * '.' inside a name ("net.ipv4.conf.eth0/100.rp_filter" for interface eth0.100), and slash form, the path
 * itself, where dots are literal ("net/ipv4/conf/eth0.100/rp_filter"). Both forms of a key give the same
 * names, so checks compare names, never the text as written.
 *
 * @param names the path's components below /proc/sys, e.g. [net, ipv4, conf, eth0.100, rp_filter]
 */
public record SysctlKey(List<String> names) {

    public SysctlKey {
        names = List.copyOf(names);
    }

    /**
     * Reads a key in either form.
     *
     * @throws IllegalArgumentException when the key does not name a plain path below /proc/sys: empty, with a
     *         leading separator, an empty name, a "." or ".." name, or whitespace or control characters
     */
    public static SysctlKey parse(String key) {
        if (key.isEmpty()) {
            throw new IllegalArgumentException("the key is empty");
        }
        if (key.startsWith("/")) {
            throw new IllegalArgumentException("a key is a path below /proc/sys, without a leading /");
        }
        int firstSeparator = firstSeparator(key);
        boolean slashForm = firstSeparator >= 0 && key.charAt(firstSeparator) == '/';
        List<String> names = new ArrayList<>();
        for (String written : key.split(slashForm ? "/" : "\\.", -1)) {
            String name = slashForm ? written : written.replace('/', '.');
            if (name.isEmpty()) {
                throw new IllegalArgumentException("an empty name between separators (or at either end)");
            }
            if (name.equals(".") || name.equals("..")) {
                throw new IllegalArgumentException("a \"" + name + "\" name: a key names one file below /proc/sys, not a way through the tree");
            }
            if (name.codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
                throw new IllegalArgumentException("whitespace or a control character, which no sysctl name holds");
            }
            names.add(name);
        }
        return new SysctlKey(names);
    }

    private static int firstSeparator(String key) {
        for (int i = 0; i < key.length(); i++) {
            if (key.charAt(i) == '.' || key.charAt(i) == '/') {
                return i;
            }
        }
        return -1;
    }

    /** The file relative to /proc/sys: "net/ipv4/conf/eth0.100/rp_filter". */
    public String procPath() {
        return String.join("/", names);
    }

    /** The key in dot form, as sysctl(8) prints it: "net.ipv4.conf.eth0/100.rp_filter". */
    public String dotted() {
        return String.join(".", names.stream().map(name -> name.replace('.', '/')).toList());
    }

    /** True when this key names the same file as the dot-form key given, e.g. is("kernel.hostname"). */
    public boolean is(String dottedKey) {
        return dotted().equals(dottedKey);
    }
}
