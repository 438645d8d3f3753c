package dev.jrun.plan;

import static dev.jrun.plan.LinuxConstants.*;

import dev.jrun.spec.model.CapabilityNames;
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

    /**
     * Everything up to the exec: after these steps only synchronisation with Java may come before {@link #exec}.
     *
     * @param preservedFds descriptors 3 .. 3+preservedFds-1 stay open into the process (--preserve-fds)
     */
    static void prepare(StepList steps, Process process, int preservedFds) {
        prepare(steps, process, preservedFds, Credentials.ROOT);
    }

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

    static void prepare(StepList steps, Process process, int preservedFds, Credentials credentials) {
        for (int i = 0; i < process.rlimits().size(); i++) {
            Process.Rlimit limit = process.rlimits().get(i);
            steps.from(StepList.pointer("/process/rlimits", i));
            steps.add(Stage.PROCESS, new Step.SetRlimit(RlimitNames.resourceOf(limit.type()), limit.soft(), limit.hard()),
                    "set " + limit.type() + " to soft " + Long.toUnsignedString(limit.soft()) + ", hard " + Long.toUnsignedString(limit.hard())
                            + " (EPERM: a hard limit above the runtime's own needs CAP_SYS_RESOURCE in the container's user namespace,"
                            + " and RLIMIT_NOFILE may not exceed /proc/sys/fs/nr_open)");
        }
        Process.User user = process.user();
        long uid = user == null ? 0 : user.uid();
        long gid = user == null ? 0 : user.gid();
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

    /** The last step: the program LOOKUP found, with the process's args, and its env followed by extraEnv. */
    static void exec(StepList steps, Process process, List<String> extraEnv) {
        steps.from(processOrigin(process));
        List<String> env = new java.util.ArrayList<>(process.env());
        env.addAll(extraEnv);
        steps.add(Stage.READY, new Step.Exec("", process.args(), env), "run the container's process");
        steps.from("");
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
