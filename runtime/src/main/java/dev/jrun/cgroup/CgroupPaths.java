package dev.jrun.cgroup;

import dev.jrun.error.JrunException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a container's cgroups go: from linux.cgroupsPath, its id, the runtime's own cgroups and the host's mounts, the
 * container's directory in every hierarchy the runtime is in and can reach (each v1 hierarchy, named ones such as
 * name=systemd too, and the v2 tree). Pure: reads and makes nothing.
 *
 * <ul>
 *   <li>An absolute path is taken below the root each mount shows (the OCI rule: relative to the mount point).
 *   <li>A relative path is taken below the runtime's own cgroup in that hierarchy (runc's rule).
 *   <li>No path: {@value #DEFAULT_PARENT}/&lt;id&gt;, absolute. Not runc's default (the bare id, relative, so under
 *       runc's own cgroup): jrun's own cgroup is the warm server's ({@code /jrun-server}) or a one-shot caller's, which
 *       differ, and a v2 cgroup holding the server could not hand controllers to a child.
 *   <li>With the systemd driver the path is "slice:prefix:name" and names the cgroup systemd would give the scope
 *       unit prefix-name.scope in that slice; no path is {@value #DEFAULT_SLICE}:{@value #SCOPE_PREFIX}:&lt;id&gt;
 *       (runc: system.slice:runc:&lt;id&gt;).
 * </ul>
 *
 * <p>"..", "." and empty components, a NUL, and a path that would leave a hierarchy are refused, naming
 * {@value #POINTER}: a container's cgroup must be its own, inside what the runtime manages.
 */
public final class CgroupPaths {
    /** Where every complaint about the path points. */
    public static final String POINTER = "/linux/cgroupsPath";
    /** The parent of every container's cgroup when the spec names none (cgroupfs driver). */
    public static final String DEFAULT_PARENT = "/jrun";
    /** The slice of a container's scope when the spec names none (systemd driver). */
    public static final String DEFAULT_SLICE = "system.slice";
    /** The prefix of a container's scope unit when the spec names no path (systemd driver). */
    public static final String SCOPE_PREFIX = "jrun";

    private CgroupPaths() {}

    /**
     * The container's directory in each hierarchy of own that layout mounts, in the order of own.
     *
     * @param cgroupsPath linux.cgroupsPath, empty when the spec has none (or no linux section)
     * @param id          the container's id, already checked to be one path component
     * @param systemd     whether --systemd-cgroup was given: the path is then "slice:prefix:name"
     * @param own         the runtime's own cgroups (/proc/self/cgroup), one per hierarchy the kernel has
     */
    public static List<ContainerCgroup> resolve(Optional<String> cgroupsPath, String id, boolean systemd,
                                                List<Membership> own, CgroupLayout layout) throws JrunException.InvalidSpec {
        String path = systemd ? systemdPath(cgroupsPath.orElse(DEFAULT_SLICE + ":" + SCOPE_PREFIX + ":" + id))
                : cgroupsPath.orElse(DEFAULT_PARENT + "/" + id);
        List<String> components = components(path);
        List<ContainerCgroup> cgroups = new ArrayList<>();
        for (Membership membership : own) {
            Optional<CgroupMount> found = layout.mountOf(membership);
            if (found.isEmpty()) {
                continue; // a hierarchy mounted nowhere here is one the runtime cannot manage, as for runc
            }
            CgroupMount mount = found.get();
            Path base = path.startsWith("/") ? mount.mountPoint() : ownDirectory(path, membership, mount);
            Path directory = base;
            for (String component : components) {
                directory = directory.resolve(component);
            }
            if (!directory.normalize().equals(directory) || !directory.startsWith(mount.mountPoint())
                    || directory.equals(mount.mountPoint())) {
                throw invalid("\"" + path + "\" leads to " + directory + ", not a cgroup below " + mount.mountPoint());
            }
            cgroups.add(new ContainerCgroup(membership.hierarchy(), mount, directory));
        }
        return cgroups;
    }

    /** The runtime's own cgroup in this hierarchy as a directory, which a relative path is taken from. */
    private static Path ownDirectory(String path, Membership membership, CgroupMount mount) throws JrunException.InvalidSpec {
        return mount.directoryOf(membership.path()).orElseThrow(() -> invalid("the relative path \"" + path
                + "\" is taken from the runtime's own cgroup, and in hierarchy " + membership.hierarchy() + " that cgroup ("
                + membership.path() + ") is outside what " + mount.mountPoint() + " shows (root " + mount.root()
                + "); give an absolute path"));
    }

    /** The components of a cgroup path, refusing any that could name something other than a cgroup below. */
    static List<String> components(String path) throws JrunException.InvalidSpec {
        if (path.isEmpty() || path.equals("/")) {
            throw invalid("\"" + path + "\" names no cgroup of the container's own; give a path such as /jrun/<id>");
        }
        if (path.indexOf('\0') >= 0) {
            throw invalid("the path holds a NUL character");
        }
        String relative = path.startsWith("/") ? path.substring(1) : path;
        List<String> components = List.of(relative.split("/", -1));
        for (String component : components) {
            if (component.isEmpty()) {
                throw invalid("\"" + path + "\" has an empty component (\"//\" or a trailing \"/\"); remove it");
            }
            if (component.equals("..") || component.equals(".")) {
                throw invalid("\"" + path + "\" has a \"" + component + "\" component; a cgroup path names its "
                        + "directories plainly, without \"..\" or \".\"");
            }
        }
        return components;
    }

    /**
     * The absolute cgroup path systemd uses for "slice:prefix:name": the slice's directory, expanded as systemd does
     * (a-b.slice lives in a.slice/a-b.slice; -.slice is the root), holding the scope unit prefix-name.scope (name.scope
     * when prefix is empty). An empty slice means {@value #DEFAULT_SLICE}.
     */
    static String systemdPath(String value) throws JrunException.InvalidSpec {
        String[] parts = value.split(":", -1);
        if (parts.length != 3) {
            throw invalid("\"" + value + "\" is not of the form slice:prefix:name that --systemd-cgroup needs "
                    + "(such as system.slice:jrun:ID)");
        }
        String slice = parts[0].isEmpty() ? DEFAULT_SLICE : parts[0];
        String prefix = parts[1];
        String name = parts[2];
        if (name.isEmpty()) {
            throw invalid("\"" + value + "\" has an empty name; slice:prefix:name needs one");
        }
        for (String part : List.of(prefix, name)) {
            if (part.contains("/")) {
                throw invalid("\"" + value + "\": \"" + part + "\" holds a \"/\"; a unit name is one component");
            }
        }
        String unit = (prefix.isEmpty() ? "" : prefix + "-") + name + ".scope";
        return sliceDirectory(slice, value) + "/" + unit;
    }

    /** "/a.slice/a-b.slice" for a-b.slice; "" for the root slice. */
    private static String sliceDirectory(String slice, String value) throws JrunException.InvalidSpec {
        if (slice.equals("-.slice")) {
            return "";
        }
        String stem = slice.endsWith(".slice") ? slice.substring(0, slice.length() - ".slice".length()) : "";
        if (stem.isEmpty() || slice.contains("/") || stem.startsWith("-") || stem.endsWith("-") || stem.contains("--")) {
            throw invalid("\"" + value + "\": \"" + slice + "\" is not a systemd slice name (NAME.slice, where NAME is "
                    + "words joined by single dashes, or -.slice for the root)");
        }
        StringBuilder directory = new StringBuilder();
        int dash = -1;
        do {
            dash = stem.indexOf('-', dash + 1);
            String level = dash < 0 ? stem : stem.substring(0, dash);
            directory.append('/').append(level).append(".slice");
        } while (dash >= 0);
        return directory.toString();
    }

    private static JrunException.InvalidSpec invalid(String what) {
        return new JrunException.InvalidSpec(POINTER + ": " + what, false);
    }
}
