package dev.jrun.lifecycle;

import java.nio.file.Path;
import java.util.List;

/** Where the process of an `exec` comes from: runc's two forms. */
public sealed interface ExecProcess {

    /** `--process FILE`: a whole OCI process object (JSON), as podman and containerd's shim pass it. */
    record FromFile(Path file) implements ExecProcess {}

    /**
     * `exec ID CMD ARGS…`: the container's own process (from the spec it was created from) with these changes,
     * as runc makes them.
     *
     * @param env             appended; a name given again replaces the earlier value
     * @param cwd             replaces, when not null
     * @param user            "UID[:GID]" replaces the uid (and the gid when given), when not null
     * @param additionalGids  appended
     * @param capabilities    added to the bounding, effective and permitted sets
     * @param noNewPrivileges replaces, when not null
     * @param terminal        replaces (a command-line exec has a terminal only with --tty)
     * @param apparmorProfile replaces, when not null
     * @param selinuxLabel    replaces, when not null
     */
    record FromCommandLine(List<String> args, List<String> env, String cwd, String user, List<Long> additionalGids,
                           List<String> capabilities, Boolean noNewPrivileges, boolean terminal, String apparmorProfile,
                           String selinuxLabel) implements ExecProcess {
        public FromCommandLine {
            args = List.copyOf(args);
            env = List.copyOf(env);
            additionalGids = List.copyOf(additionalGids);
            capabilities = List.copyOf(capabilities);
        }
    }
}
