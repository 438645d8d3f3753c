package dev.jrun.plan;

import static dev.jrun.plan.LinuxConstants.*;

import dev.jrun.spec.model.Linux;
import dev.jrun.spec.model.Mount;
import dev.jrun.spec.model.Spec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The container's /dev (config-linux.md "Default Devices" and "Devices"): the default nodes, the
 * spec's linux.devices, and the standard symlinks. A node is made with mknod(2), or, in a new user
 * namespace where mknod is not permitted, bound from the host's node of the same path.
 */
final class DevPlanner {
    private final boolean hostHasKcore;
    private record Device(String path, long type, long major, long minor, long mode, long uid, long gid) {
        Device(String path, long type, long major, long minor, long mode) {
            this(path, type, major, minor, mode, 0, 0);
        }
    }

    private static final List<Device> DEFAULTS = List.of(
            new Device("/dev/null", S_IFCHR, 1, 3, 0666), new Device("/dev/zero", S_IFCHR, 1, 5, 0666),
            new Device("/dev/full", S_IFCHR, 1, 7, 0666), new Device("/dev/random", S_IFCHR, 1, 8, 0666),
            new Device("/dev/urandom", S_IFCHR, 1, 9, 0666), new Device("/dev/tty", S_IFCHR, 5, 0, 0666));

    private final Spec spec;
    private final String rootfs;
    private final boolean newUserNamespace;

    DevPlanner(Spec spec, String rootfs, boolean newUserNamespace, boolean hostHasKcore) {
        this.hostHasKcore = hostHasKcore;
        this.spec = spec;
        this.rootfs = rootfs;
        this.newUserNamespace = newUserNamespace;
    }

    boolean specMountsDev() {
        return spec.mounts().stream().anyMatch(m -> normalize(m.destination()).equals("/dev"));
    }

    /** Only a /dev that is a tmpfs (the spec's or jrun's) is filled: a bind of the host's /dev already has its nodes. */
    private boolean devIsTmpfs() {
        return spec.mounts().stream().filter(m -> normalize(m.destination()).equals("/dev"))
                .reduce((a, b) -> b).map(m -> "tmpfs".equals(m.type())).orElse(true);
    }

    List<PlannedStep> steps() {
        List<PlannedStep> steps = new ArrayList<>();
        List<Linux.Device> specDevices = spec.linux() == null ? List.of() : spec.linux().devices();
        if (devIsTmpfs()) {
            Set<String> taken = spec.mounts().stream().map(m -> normalize(m.destination())).collect(Collectors.toSet());
            specDevices.forEach(d -> taken.add(normalize(d.path())));
            for (Device device : DEFAULTS) {
                if (!taken.contains(device.path())) {
                    node(steps, device, "default device " + device.path(), "");
                }
            }
            symlinks(steps, taken);
        }
        for (int i = 0; i < specDevices.size(); i++) {
            Linux.Device device = specDevices.get(i);
            long type = switch (device.type()) {
                case "b" -> S_IFBLK;
                case "p" -> S_IFIFO;
                default -> S_IFCHR;
            };
            long mode = device.fileMode() == null ? 0666 : device.fileMode() & 07777;
            node(steps, new Device(normalize(device.path()), type, value(device.major()), value(device.minor()), mode,
                    value(device.uid()), value(device.gid())), "linux.devices " + device.path(), "/linux/devices/" + i);
        }
        return steps;
    }

    private void node(List<PlannedStep> steps, Device device, String why, String origin) {
        String target = rootfs + device.path();
        String parent = Path.of(target).getParent().toString();
        if (!parent.equals(rootfs + "/dev")) {
            steps.add(new PlannedStep(new Step.MakeDirectories(parent, 0755), Stage.ROOTFS, "parent of " + device.path(), origin));
        }
        if (newUserNamespace) {
            steps.add(new PlannedStep(new Step.CreateFile(target, 0644), Stage.ROOTFS, why + ": mount point", origin));
            steps.add(new PlannedStep(new Step.Mount(device.path(), target, "", MS_BIND, ""), Stage.ROOTFS,
                    why + ", bound from the host: mknod is not permitted in a user namespace", origin));
        } else {
            steps.add(new PlannedStep(new Step.Mknod(target, device.type() | device.mode(), device.major(), device.minor()), Stage.ROOTFS, why, origin));
            if (device.uid() != 0 || device.gid() != 0) {
                steps.add(new PlannedStep(new Step.Chown(target, device.uid(), device.gid()), Stage.ROOTFS, why + ": owner", origin));
            }
        }
    }

    private void symlinks(List<PlannedStep> steps, Set<String> taken) {
        List<String[]> links = new ArrayList<>(List.of(
                new String[] {"/proc/self/fd", "/dev/fd"}, new String[] {"/proc/self/fd/0", "/dev/stdin"},
                new String[] {"/proc/self/fd/1", "/dev/stdout"}, new String[] {"/proc/self/fd/2", "/dev/stderr"}));
        if (hostHasKcore) {
            links.add(new String[] {"/proc/kcore", "/dev/core"});
        }
        if (taken.contains("/dev/pts")) {
            links.add(new String[] {"pts/ptmx", "/dev/ptmx"});
        }
        for (String[] link : links) {
            if (!taken.contains(link[1])) {
                steps.add(new PlannedStep(new Step.Symlink(link[0], rootfs + link[1]), Stage.ROOTFS, "standard link " + link[1]));
            }
        }
    }

    private static long value(Long number) {
        return number == null ? 0 : number;
    }

    private static String normalize(String path) {
        return Path.of("/", path).normalize().toString();
    }
}
