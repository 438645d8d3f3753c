package dev.jrun.sys;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The host's processes as the lifecycle verbs see them: the seam under kill, delete, start and the
 * status probe, so that their guards and their order of work can be tested with a recording fake
 * without root. {@link LinuxProcessTable} is the real one.
 */
public interface ProcessTable {

    /** The process now running as pid, or empty. */
    Optional<KnownProcess> process(long pid);

    boolean isAlive(KnownProcess process);

    /** Sends signal to exactly this process (never to a process that reused its pid); false if it is gone. */
    boolean signal(KnownProcess process, int signal) throws NativeException;

    /** Every pid in jrun's view of the system. */
    List<Long> pids();

    /** The pid namespace pid is in, as the kernel names it ("pid:[4026531836]"), or empty if it is gone. */
    Optional<String> pidNamespaceOf(long pid);

    /** The pid namespace jrun itself runs in. */
    String ownPidNamespace();

    /** pid as its own (innermost) pid namespace numbers it: 1 for a namespace's init. Empty if it is gone. */
    OptionalLong innermostPid(long pid);

    /** The file the process executes (through /proc/PID/exe), or empty if it is gone or cannot be read. */
    Optional<FileIdentity> executableOf(long pid);
}
