package dev.jrun.netlink;

import dev.jrun.sys.Errno;
import dev.jrun.sys.NativeException;
import java.nio.file.Path;

/**
 * Runs an action inside another network namespace. setns(CLONE_NEWNET) moves only the calling
 * thread, which a multithreaded process may do (unlike entering a user or mount namespace). So
 * the action runs on a new platform thread made for it: the thread enters the namespace, runs the
 * action, and ends, so no thread of the JVM is ever left in a foreign namespace and no pooled or
 * virtual-thread carrier is ever moved. Sockets the action opens stay in that namespace after the
 * thread ends, which is how {@link Rtnetlink#openIn} works.
 */
public final class NetnsThread {
    private static final String ENTER = "enter network namespace";

    /** Work to do inside the namespace. */
    @FunctionalInterface
    public interface Action<T> {
        T run() throws NetlinkException;
    }

    private NetnsThread() {}

    public static <T> T call(Path netnsFile, Action<T> action) throws NetlinkException {
        var outcome = new Object() {
            T value;
            Throwable failure;
        };
        Thread thread = Thread.ofPlatform().name("jrun-netns").unstarted(() -> {
            try {
                enter(netnsFile);
                outcome.value = action.run();
            } catch (Throwable e) {
                outcome.failure = e;
            }
        });
        thread.start();
        joinUninterruptibly(thread);
        return switch (outcome.failure) {
            case null -> outcome.value;
            case NetlinkException e -> throw e;
            case RuntimeException e -> throw e;
            case Error e -> throw e;
            default -> throw new IllegalStateException("unexpected failure in network namespace " + netnsFile, outcome.failure);
        };
    }

    /**
     * Whether entering failed because the path names no network namespace (any more): no such
     * file, a path through a non-directory, or a file that is not a network namespace.
     */
    static boolean namesNoNetworkNamespace(NetlinkException e) {
        return e.operation().equals(NetnsFile.OPEN) && (e.errno() == Errno.ENOENT || e.errno() == Errno.ENOTDIR)
                || e.operation().equals(ENTER) && e.errno() == Errno.EINVAL;
    }

    private static void enter(Path netnsFile) throws NetlinkException {
        try (NetnsFile file = NetnsFile.open(netnsFile)) {
            Libc.setns(file.fd(), Libc.CLONE_NEWNET);
        } catch (NativeException e) {
            throw new NetlinkException(ENTER, netnsFile.toString(), e.errno(), "", switch (e.errno()) {
                case Errno.EINVAL -> "it is not a network namespace file (expected e.g. /proc/PID/ns/net or /run/netns/NAME)";
                case Errno.EPERM -> "entering it needs CAP_SYS_ADMIN (run jrun as root)";
                default -> null;
            });
        }
    }

    /**
     * The action is short (each netlink reply is bounded by the socket's timeout), and it must not
     * be abandoned half-way in another namespace; so wait it out and pass an interrupt on after.
     */
    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
