package dev.jrun.state;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.util.List;

/** Exclusive hold on one container id for the length of an operation. */
public final class ContainerLock implements AutoCloseable {
    private final String id;
    private final FileChannel channel;
    private final FileLock lock;
    /** This JVM's own keys for the id (see InProcessLocks), released after the file is closed. */
    private final List<InProcessLocks.Held> keys;

    ContainerLock(String id, FileChannel channel, FileLock lock, List<InProcessLocks.Held> keys) {
        this.id = id;
        this.channel = channel;
        this.lock = lock;
        this.keys = List.copyOf(keys);
    }

    public String id() {
        return id;
    }

    @Override
    public void close() {
        try {
            if (lock.isValid()) {
                lock.release();
            }
            channel.close();
        } catch (IOException ignored) {
            // the lock goes with the process anyway
        } finally {
            keys.forEach(InProcessLocks.Held::close);
        }
    }
}
