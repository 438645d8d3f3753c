package dev.jrun.server;

import dev.jrun.sys.FileDescriptors;
import java.io.IOException;

/**
 * One of the caller's stdio descriptors, received from the client. Once closed, nothing reaches it, nor a descriptor
 * that a later request receives under the same number.
 */
final class CallerDescriptor {
    private final int fd;
    private final String name;
    private boolean closed;

    CallerDescriptor(int fd, String name) {
        this.fd = fd;
        this.name = name;
    }

    /** The descriptor, while the request lasts. */
    synchronized int open() throws IOException {
        if (closed) {
            throw new IOException("the caller's " + name + " is closed: the request is over");
        }
        return fd;
    }

    String name() {
        return name;
    }

    synchronized void close() {
        if (!closed) {
            closed = true;
            FileDescriptors.close(fd);
        }
    }
}
