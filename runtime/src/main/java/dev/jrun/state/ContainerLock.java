package dev.jrun.state;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;

/** Exclusive hold on one container id for the length of an operation. */
public final class ContainerLock implements AutoCloseable {
    private final String id;
    private final FileChannel channel;
    private final FileLock lock;

    ContainerLock(String id, FileChannel channel, FileLock lock) {
        this.id = id;
        this.channel = channel;
        this.lock = lock;
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
        }
    }
}
