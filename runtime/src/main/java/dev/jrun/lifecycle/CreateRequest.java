package dev.jrun.lifecycle;

import java.nio.file.Path;

/**
 * What `create` (or `run`) was asked to do.
 *
 * @param specFile   the spec: the bundle's config.json/config.yaml, or the file the user named
 * @param pidFile    where to write the init's pid, or null
 * @param foreground `run`: the helper stays the init's parent, relays signals and exits with its status
 * @param systemdCgroup --systemd-cgroup: linux.cgroupsPath is "slice:prefix:name"
 * @param preservedFds  --preserve-fds: the caller's descriptors after those of socket activation (LISTEN_FDS) that reach the process
 * @param newKeyring    the init joins a new session keyring named after the container (not with --no-new-keyring)
 * @param consoleSocket --console-socket: where the master of the process's terminal is sent, or null
 */
public record CreateRequest(String id, Path bundle, Path specFile, Path pidFile, boolean noPivot, boolean foreground,
                            boolean systemdCgroup, int preservedFds, boolean newKeyring, Path consoleSocket) {}
