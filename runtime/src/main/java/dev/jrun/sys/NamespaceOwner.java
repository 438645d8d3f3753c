package dev.jrun.sys;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Which user namespace owns a namespace (ioctl NS_GET_USERNS, ioctl_ns(2)). Joining a namespace needs
 * CAP_SYS_ADMIN in its owner: once a process has joined a container's user namespace it can no longer
 * join a namespace the host's user namespace owns (a network namespace a tool made beforehand), so such
 * namespaces must be joined first.
 */
public final class NamespaceOwner {
    /** _IO(0xb7, 0x1). */
    private static final long NS_GET_USERNS = 0xb701;
    private static final int O_RDONLY_CLOEXEC = 02000000;

    private NamespaceOwner() {}

    /**
     * The identity (device, inode) of the user namespace owning the namespace file, as {@link FileIdentity#of}
     * gives it for /proc/PID/ns/user; empty when the kernel does not say (EPERM: the owner lies outside the
     * caller's own user namespace, or the file is gone).
     */
    public static Optional<FileIdentity> of(Path namespaceFile) {
        try (Arena arena = Arena.ofConfined()) {
            long fd = Syscall.call(SyscallNumber.OPENAT, Syscall.AT_FDCWD, arena.allocateFrom(namespaceFile.toString()).address(),
                    O_RDONLY_CLOEXEC);
            if (fd < 0) {
                return Optional.empty();
            }
            try {
                long owner = Syscall.call(SyscallNumber.IOCTL, fd, NS_GET_USERNS);
                if (owner < 0) {
                    return Optional.empty();
                }
                try {
                    return FileIdentity.of(Path.of("/proc/self/fd/" + owner));
                } finally {
                    Syscall.call(SyscallNumber.CLOSE, owner);
                }
            } finally {
                Syscall.call(SyscallNumber.CLOSE, fd);
            }
        }
    }
}
