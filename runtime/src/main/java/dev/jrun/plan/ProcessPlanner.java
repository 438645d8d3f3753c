package dev.jrun.plan;

import static dev.jrun.plan.LinuxConstants.*;

import dev.jrun.seccomp.SeccompCompiler;
import dev.jrun.seccomp.SeccompException;
import dev.jrun.seccomp.SeccompFilter;
import dev.jrun.spec.model.CapabilityNames;
import dev.jrun.spec.model.Linux;
import dev.jrun.spec.model.Process;
import dev.jrun.spec.model.RlimitNames;
import java.util.List;

/**
 * The steps that turn the helper into the container's process, once it is in the container: limits,
 * credentials, capabilities, working directory, the program, and the exec. The same for the init that
 * create makes and for a process that exec adds, so both get exactly the process the spec describes.
 */
final class ProcessPlanner {
    private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final long DEFAULT_UMASK = 0022;

    private ProcessPlanner() {}

    /** linux.seccomp compiled for this host (null without one); the names it skipped go into the plan's notes. */
    static SeccompFilter compileSeccomp(StepList steps, Linux linux) throws PlanException {
        if (linux == null || linux.seccomp() == null) {
            return null;
        }
        try {
            SeccompFilter filter = SeccompCompiler.compile(linux.seccomp());
            filter.warnings().forEach(w -> steps.note("seccomp: " + w));
            return filter;
        } catch (SeccompException e) {
            throw new PlanException(e.pointer(), e.getMessage());
        }
    }

    /**
     * Everything up to the exec: after these steps only synchronisation with Java may come before {@link #exec}.
     *
     * @param linux        the container's linux section (personality), or null
     * @param seccomp      the filter from {@link #compileSeccomp} (and its agent's state), or null; loaded here when it
     *                     cannot wait for {@link #exec}
     * @param preservedFds descriptors 3 .. 3+preservedFds-1 stay open into the process (--preserve-fds)
     */
    /**
     * What the user namespace lets the credential steps do.
     *
     * @param groupsSettable false where the user namespace's setgroups is "deny": setgroups(2) would fail even with an
     *                       empty list, and the process keeps the one group it has (the planner refused additionalGids)
     * @param keepDumpable   jrun runs rootless: a change of uid or gid makes the process non-dumpable, and its
     *                       /proc/PID/exe then unreadable to a user without CAP_SYS_PTRACE in the initial namespace,
     *                       which is how jrun tells a created container from a running one; exec resets it as usual
     */
    record Credentials(boolean groupsSettable, boolean keepDumpable) {
        static final Credentials ROOT = new Credentials(true, false);
    }

    static void prepare(StepList steps, Process process, Linux linux, SeccompSetup seccomp, int preservedFds, Credentials credentials)
            throws PlanException {
        for (int i = 0; i < process.rlimits().size(); i++) {
            Process.Rlimit limit = process.rlimits().get(i);
            steps.from(StepList.pointer("/process/rlimits", i));
            steps.add(Stage.PROCESS, new Step.SetRlimit(RlimitNames.resourceOf(limit.type()), limit.soft(), limit.hard()),
                    "set " + limit.type() + " to soft " + Long.toUnsignedString(limit.soft()) + ", hard " + Long.toUnsignedString(limit.hard())
                            + " (EPERM: a hard limit above the runtime's own needs CAP_SYS_RESOURCE in the container's user namespace,"
                            + " and RLIMIT_NOFILE may not exceed /proc/sys/fs/nr_open)");
        }
        // While the helper still has every capability: a real-time class or policy needs CAP_SYS_NICE (or CAP_SYS_ADMIN).
        ProcessAttributes.plan(steps, process, linux);
        // As runc: the labels too, while every capability is there and before an early filter.
        labels(steps, process, linux);
        Process.User user = process.user();
        long uid = user == null ? 0 : user.uid();
        long gid = user == null ? 0 : user.gid();
        if (seccomp != null && !loadsLate(process)) {
            steps.from("/linux/seccomp");
            steps.add(Stage.PROCESS, seccomp.load(), "the system call filter, before the capabilities are set: without "
                    + "noNewPrivileges the kernel takes it only from a process with CAP_SYS_ADMIN, which the process will not keep");
        }
        steps.from("/process/user");
        steps.add(Stage.PROCESS, new Step.Umask(user == null || user.umask() == null ? DEFAULT_UMASK : user.umask()), "umask");
        Process.Capabilities caps = process.capabilities();
        steps.from("/process/capabilities");
        if (caps != null) {
            steps.add(Stage.PROCESS, new Step.DropBounding(CapabilityNames.maskOf(caps.bounding())),
                    "bounding set (needs CAP_SETPCAP, so before the switch to the user)");
            steps.add(Stage.PROCESS, new Step.Prctl(PR_SET_KEEPCAPS, 1), "keep the permitted set across setresuid");
        }
        if (credentials.groupsSettable()) {
            steps.from("/process/user/additionalGids");
            steps.add(Stage.PROCESS, new Step.SetGroups(user == null ? List.of() : user.additionalGids()), "supplementary groups");
        }
        steps.from("/process/user");
        steps.add(Stage.PROCESS, new Step.SetResGid(gid), "gid");
        steps.add(Stage.PROCESS, new Step.SetResUid(uid), "uid");
        if (caps != null) {
            long permitted = CapabilityNames.maskOf(caps.permitted());
            long inheritable = CapabilityNames.maskOf(caps.inheritable());
            // The kernel raises an ambient capability only if it is permitted and inheritable (UnappliedSettings warns).
            long ambient = CapabilityNames.maskOf(caps.ambient()) & permitted & inheritable;
            steps.from("/process/capabilities");
            steps.add(Stage.PROCESS, new Step.SetCaps(CapabilityNames.maskOf(caps.effective()), permitted, inheritable, ambient),
                    "capabilities, after setresuid cleared the effective set");
        }
        if (Boolean.TRUE.equals(process.noNewPrivileges())) {
            steps.from("/process/noNewPrivileges");
            steps.add(Stage.PROCESS, new Step.Prctl(PR_SET_NO_NEW_PRIVS, 1), "noNewPrivileges");
        }
        if (credentials.keepDumpable()) {
            steps.from("/process/user");
            steps.add(Stage.PROCESS, new Step.Prctl(PR_SET_DUMPABLE, 1),
                    "stay dumpable after the credential change, so that rootless jrun can read /proc/PID/exe (created or running)");
        }
        // After the switch to the user, so that cwd is resolved inside the rootfs with the user's rights.
        steps.from("/process/cwd");
        steps.add(Stage.PROCESS, new Step.Chdir(process.cwd()), "working directory");
        steps.from(processOrigin(process));
        steps.add(Stage.PROCESS, new Step.Lookup(process.args().getFirst(), pathOf(process.env())),
                "find the program now, so that a missing one fails here and not after the caller was told it started");
        steps.from("");
        steps.add(Stage.PROCESS, new Step.CloseFds(preservedFds),
                preservedFds == 0 ? "no descriptor of the runtime reaches the container"
                        : "no descriptor of the runtime reaches the container; the " + preservedFds + " preserved ones do");
    }

    /**
     * The last steps: the filter when it may be loaded this late (then only the exec is filtered of the helper's
     * own syscalls), and the program LOOKUP found, with the process's args, and its env followed by extraEnv. A
     * profile that would stop the helper between the load and the exec is refused here.
     */
    static void exec(StepList steps, Process process, SeccompSetup seccomp, List<String> extraEnv) throws PlanException {
        if (seccomp != null && loadsLate(process)) {
            steps.from("/linux/seccomp");
            steps.add(Stage.READY, seccomp.load(), "the system call filter, as close to the exec as it can be"
                    + (seccomp.notifies() ? "; its listener goes to the seccomp agent with the container's state" : ""));
        }
        steps.from(processOrigin(process));
        List<String> env = new java.util.ArrayList<>(process.env());
        env.addAll(extraEnv);
        steps.add(Stage.READY, new Step.Exec("", process.args(), env), "run the container's process");
        steps.from("");
        if (seccomp != null) {
            List<PlannedStep> all = steps.steps();
            int load = 0;
            while (!(all.get(load).step() instanceof Step.Seccomp loading) || loading.program().isEmpty()) {
                load++;
            }
            List<PlannedStep> fromLoad = all.subList(load, all.size());
            List<String> blocked = HelperSyscalls.blocked(seccomp.filter(), fromLoad);
            if (!blocked.isEmpty()) {
                throw new PlanException("/linux/seccomp", "the filter would stop jrun-init before it runs the container's program: "
                        + "after the filter is loaded it still calls " + String.join(", ", blocked) + " ("
                        + fromLoad.stream().map(s -> s.step().name()).distinct().reduce((a, b) -> a + ", " + b).orElseThrow()
                        + (loadsLate(process) ? "" : "; without noNewPrivileges and CAP_SYS_ADMIN in the effective set the filter "
                        + "is loaded before the user and capabilities are set, so those calls are filtered too")
                        + "). Allow them unconditionally" + (loadsLate(process) ? "" : ", or set process.noNewPrivileges") + " (docs/seccomp.md)");
            }
        }
    }

    /**
     * Whether the filter can wait until just before the exec: the kernel takes it from a process with no_new_privs, or
     * with CAP_SYS_ADMIN in its user namespace. Otherwise it is loaded before the credentials change, as runc does.
     */
    static boolean loadsLate(Process process) {
        if (Boolean.TRUE.equals(process.noNewPrivileges())) {
            return true;
        }
        Process.Capabilities caps = process.capabilities();
        if (caps == null) {
            return process.user() == null || process.user().uid() == 0; // root keeps every capability through setresuid
        }
        return caps.effective().contains("CAP_SYS_ADMIN");
    }

    /**
     * The AppArmor profile or SELinux label the exec'd program gets: written to the helper's attr/exec, which the
     * kernel applies at the next execve. Through the container's /proc, as runc does; without its module on the host,
     * a warning: runc tolerates them there too.
     */
    private static void labels(StepList steps, Process process, Linux linux) {
        HostLsm lsm = HostLsm.current();
        if (process.apparmorProfile() != null && !process.apparmorProfile().isEmpty()) {
            if (lsm.apparmor()) {
                steps.from("/process/apparmorProfile");
                steps.add(Stage.PROCESS, new Step.WriteFile(lsm.apparmorExec(), "exec " + process.apparmorProfile()),
                        "AppArmor profile " + process.apparmorProfile() + " from the exec on (needs /proc in the container)");
            } else {
                steps.warn("/process/apparmorProfile: AppArmor is not enabled on this host; the process runs without the profile "
                        + process.apparmorProfile() + " (runc ignores it there too)");
            }
        }
        if (process.selinuxLabel() != null && !process.selinuxLabel().isEmpty()) {
            if (lsm.selinux()) {
                steps.from("/process/selinuxLabel");
                steps.add(Stage.PROCESS, new Step.WriteFile("/proc/self/attr/exec", process.selinuxLabel()),
                        "SELinux label " + process.selinuxLabel() + " from the exec on (needs /proc in the container)");
            } else {
                steps.warn("/process/selinuxLabel: SELinux is not enabled on this host; the process runs without the label "
                        + process.selinuxLabel());
            }
        }
        if (linux != null && linux.mountLabel() != null && !linux.mountLabel().isEmpty() && !lsm.selinux()) {
            steps.warn("/linux/mountLabel: SELinux is not enabled on this host; mounts get no label " + linux.mountLabel());
        }
    }

    /**
     * LOOKUP and EXEC carry process.args and process.env together; when they are over the helper's limits
     * the pointer names the culprit: a string too long or holding NUL (/process/env/3), else the longer of the two lists.
     */
    private static String processOrigin(Process process) {
        for (String list : List.of("args", "env")) {
            List<String> strings = list.equals("args") ? process.args() : process.env();
            for (int i = 0; i < strings.size(); i++) {
                String text = strings.get(i);
                if (text.indexOf('\0') >= 0 || text.length() > PlanFormat.Limit.MAX_STRING.value() / 3
                        && text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > PlanFormat.Limit.MAX_STRING.value()) {
                    return StepList.pointer("/process/" + list, i);
                }
            }
        }
        return process.args().size() >= process.env().size() ? "/process/args" : "/process/env";
    }

    private static String pathOf(List<String> env) {
        return env.stream().filter(e -> e.startsWith("PATH=")).map(e -> e.substring(5)).reduce((a, b) -> b).orElse(DEFAULT_PATH);
    }
}
