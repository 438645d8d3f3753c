package dev.jrun.netlink;

/**
 * A network namespace as a link request names it: through a process in it (IFLA_NET_NS_PID) or an
 * open file descriptor of its namespace file (IFLA_NET_NS_FD), e.g. /proc/PID/ns/net or
 * /run/netns/NAME opened with {@link NetnsFile}.
 */
public sealed interface NetnsRef {

    static NetnsRef pid(long pid) {
        return new Pid(pid);
    }

    /** describedAs names the file in messages, e.g. "/run/netns/lab". */
    static NetnsRef fd(int fd, String describedAs) {
        return new Fd(fd, describedAs);
    }

    record Pid(long pid) implements NetnsRef {
        public Pid {
            if (pid <= 0 || pid > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("pid " + pid + " is out of range");
            }
        }

        @Override
        public String toString() {
            return "the network namespace of pid " + pid;
        }
    }

    record Fd(int fd, String describedAs) implements NetnsRef {
        public Fd {
            if (fd < 0) {
                throw new IllegalArgumentException("fd " + fd + " is not a file descriptor");
            }
        }

        @Override
        public String toString() {
            return "network namespace " + describedAs;
        }
    }
}
