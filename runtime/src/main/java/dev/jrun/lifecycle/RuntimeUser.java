package dev.jrun.lifecycle;

import dev.jrun.call.Invocation;

/**
 * The user this process runs as, which decides what the kernel lets create do from here: the one-shot JVM, or the warm
 * server, which serves only callers of its own uid. Root may write any id map and make any cgroup; any other user
 * runs rootless (docs/rootless.md). Root inside a user namespace counts as root: its refusals are the kernel's to name.
 */
record RuntimeUser(long uid, long gid) {
    boolean privileged() {
        return uid == 0;
    }

    static RuntimeUser ofThisProcess() {
        Invocation.Credentials self = Invocation.Credentials.ofThisProcess();
        return new RuntimeUser(self.uid(), self.gid());
    }
}
