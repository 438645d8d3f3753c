package dev.jrun.plan;

import dev.jrun.spec.model.Linux;
import dev.jrun.spec.model.Process;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * linux.personality, process.ioPriority and process.scheduler → PROCESS_ATTR steps: attributes the helper sets on
 * itself and the container's program inherits through execve. Values the kernel would refuse anyway are refused here
 * with their pointer.
 */
final class ProcessAttributes {
    /** config-linux.md's domains: PER_LINUX and PER_LINUX32 (sys/personality.h). */
    private static final Map<String, Long> DOMAINS = Map.of("LINUX", 0x0000L, "LINUX32", 0x0008L);
    /** IOPRIO_CLASS_* (linux/ioprio.h); the priority goes in the low 13 bits. */
    private static final Map<String, Long> IO_CLASSES = Map.of("IOPRIO_CLASS_RT", 1L, "IOPRIO_CLASS_BE", 2L, "IOPRIO_CLASS_IDLE", 3L);
    private static final int IOPRIO_CLASS_SHIFT = 13;
    /** SCHED_* policies (linux/sched.h). */
    private static final Map<String, Long> POLICIES = Map.of("SCHED_OTHER", 0L, "SCHED_FIFO", 1L, "SCHED_RR", 2L, "SCHED_BATCH", 3L,
            "SCHED_ISO", 4L, "SCHED_IDLE", 5L, "SCHED_DEADLINE", 6L);
    /** SCHED_FLAG_* (linux/sched.h). */
    private static final Map<String, Long> SCHED_FLAGS = Map.of("SCHED_FLAG_RESET_ON_FORK", 0x01L, "SCHED_FLAG_RECLAIM", 0x02L,
            "SCHED_FLAG_DL_OVERRUN", 0x04L, "SCHED_FLAG_KEEP_POLICY", 0x08L, "SCHED_FLAG_KEEP_PARAMS", 0x10L,
            "SCHED_FLAG_UTIL_CLAMP_MIN", 0x20L, "SCHED_FLAG_UTIL_CLAMP_MAX", 0x40L);

    private ProcessAttributes() {}

    static void plan(StepList steps, Process process, Linux linux) throws PlanException {
        if (linux != null && linux.personality() != null) {
            personality(steps, linux.personality());
        }
        if (process.ioPriority() != null) {
            ioPriority(steps, process.ioPriority());
        }
        if (process.scheduler() != null) {
            scheduler(steps, process.scheduler());
        }
    }

    private static void personality(StepList steps, Linux.Personality personality) throws PlanException {
        Long domain = DOMAINS.get(personality.domain());
        if (domain == null) {
            throw new PlanException("/linux/personality/domain", "unknown execution domain " + personality.domain() + "; LINUX or LINUX32");
        }
        if (!personality.flags().isEmpty()) {
            throw new PlanException("/linux/personality/flags", "config-linux.md defines no personality flag yet, and jrun applies none: "
                    + personality.flags() + "; remove them");
        }
        steps.from("/linux/personality");
        steps.add(Stage.PROCESS, new Step.ProcessAttr(Step.ProcessAttr.Attribute.PERSONALITY, List.of(domain)), "personality " + personality.domain());
    }

    private static void ioPriority(StepList steps, Process.IoPriority io) throws PlanException {
        Long ioClass = IO_CLASSES.get(io.ioClass());
        if (ioClass == null) {
            throw new PlanException("/process/ioPriority/class", "unknown I/O class " + io.ioClass() + "; " + String.join(", ", IO_CLASSES.keySet()));
        }
        int priority = io.priority() == null ? 0 : io.priority();
        if (priority < 0 || priority > 7) {
            throw new PlanException("/process/ioPriority/priority", "I/O priority " + priority + ": the kernel takes 0 (highest) to 7");
        }
        steps.from("/process/ioPriority");
        steps.add(Stage.PROCESS, new Step.ProcessAttr(Step.ProcessAttr.Attribute.IOPRIO, List.of(ioClass << IOPRIO_CLASS_SHIFT | priority)),
                "I/O priority " + io.ioClass() + " " + priority + " (the real-time class needs CAP_SYS_ADMIN or CAP_SYS_NICE)");
    }

    private static void scheduler(StepList steps, Process.Scheduler scheduler) throws PlanException {
        Long policy = POLICIES.get(scheduler.policy());
        if (policy == null) {
            throw new PlanException("/process/scheduler/policy", "unknown scheduling policy " + scheduler.policy() + "; "
                    + String.join(", ", POLICIES.keySet()));
        }
        long flags = 0;
        for (int i = 0; i < scheduler.flags().size(); i++) {
            Long flag = SCHED_FLAGS.get(scheduler.flags().get(i));
            if (flag == null) {
                throw new PlanException(StepList.pointer("/process/scheduler/flags", i), "unknown scheduler flag " + scheduler.flags().get(i)
                        + "; " + String.join(", ", SCHED_FLAGS.keySet()));
            }
            flags |= flag;
        }
        List<Long> values = new ArrayList<>(List.of(policy, flags, (long) orZero(scheduler.nice()), (long) orZero(scheduler.priority()),
                orZero(scheduler.runtime()), orZero(scheduler.deadline()), orZero(scheduler.period())));
        steps.from("/process/scheduler");
        steps.add(Stage.PROCESS, new Step.ProcessAttr(Step.ProcessAttr.Attribute.SCHEDULER, values),
                "scheduling policy " + scheduler.policy() + " (real-time and deadline policies need CAP_SYS_NICE)");
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }
}
