package dev.jrun.netlink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A network namespace named by the device and inode of its nsfs file, as stat(2) on
 * /proc/PID/ns/net or a /run/netns/NAME bind mount reports them: the same pair for every file that
 * names the namespace, for as long as it lives. (The kernel may give a later namespace the inode
 * of one that has died, so this tells apart namespaces alive at the same time, not across time.)
 */
public record NetnsIdentity(long device, long inode) {
    private static final Path CALLING_THREADS = Path.of("/proc/thread-self/ns/net");

    /**
     * The namespace the calling thread is in. setns(2) moves a single thread, so this is read in the
     * thread that opens a socket, not from /proc/self (the process's main thread).
     */
    static NetnsIdentity ofCallingThread() throws IOException {
        var attributes = Files.readAttributes(CALLING_THREADS, "unix:dev,ino");
        return new NetnsIdentity(((Number) attributes.get("dev")).longValue(), ((Number) attributes.get("ino")).longValue());
    }

    @Override
    public String toString() {
        return "net:[" + inode + "] on device " + device;
    }
}
