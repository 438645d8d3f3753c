package dev.jrun.lifecycle;

import java.nio.file.Path;

/**
 * What `exec` was asked to do.
 *
 * @param detach       return once the process runs (it is then the caller's nearest subreaper's to wait for)
 * @param pidFile      where to write the process's pid, or null
 * @param preservedFds the caller's descriptors 3 .. 3+preservedFds-1 reach the process (--preserve-fds)
 * @param consoleSocket --console-socket: where the master of the process's terminal is sent, or null
 */
public record ExecRequest(String id, ExecProcess process, boolean detach, Path pidFile, int preservedFds, Path consoleSocket) {}
