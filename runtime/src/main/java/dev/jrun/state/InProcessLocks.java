package dev.jrun.state;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Locks between the threads of one JVM (the jrun server's requests), taken before a lock file is opened and
 * released after it is closed. File locks alone cannot do this: FileChannel.lock is a POSIX record lock, which
 * belongs to the process, so a second thread asking for it gets OverlappingFileLockException, and worse, any
 * thread closing any channel on the file drops the lock the first one holds. So within a JVM only the thread
 * holding the key here may open the file at all. Keys are paths; one is held by at most one thread, and it is
 * not re-entrant (an operation never locks the same id twice).
 */
final class InProcessLocks {
    /** One key's permit and how many threads hold or wait for it: the entry goes when nobody does. */
    private static final class Entry {
        final Semaphore permit = new Semaphore(1);
        int users;
    }

    private final Map<Path, Entry> entries = new HashMap<>();

    /** A held key; closing releases it. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /** Takes key, waiting at most timeoutNanos; empty if another thread still held it then. */
    Optional<Held> acquire(Path key, long timeoutNanos) throws InterruptedException {
        Entry entry = use(key);
        boolean acquired = false;
        try {
            acquired = entry.permit.tryAcquire(timeoutNanos, TimeUnit.NANOSECONDS);
        } finally {
            if (!acquired) {
                release(key, entry, false);
            }
        }
        return acquired ? Optional.of(held(key, entry)) : Optional.empty();
    }

    /** Takes key only if no other thread holds it. */
    Optional<Held> tryAcquire(Path key) {
        Entry entry = use(key);
        if (entry.permit.tryAcquire()) {
            return Optional.of(held(key, entry));
        }
        release(key, entry, false);
        return Optional.empty();
    }

    /** True when a thread holds key (for tests and for skipping what is in use). */
    synchronized boolean isHeld(Path key) {
        Entry entry = entries.get(key);
        return entry != null && entry.permit.availablePermits() == 0;
    }

    private synchronized Entry use(Path key) {
        Entry entry = entries.computeIfAbsent(key, k -> new Entry());
        entry.users++;
        return entry;
    }

    private synchronized void release(Path key, Entry entry, boolean permit) {
        if (permit) {
            entry.permit.release();
        }
        if (--entry.users == 0) {
            entries.remove(key);
        }
    }

    private Held held(Path key, Entry entry) {
        return new Held() {
            private boolean released;

            @Override
            public void close() {
                synchronized (this) {
                    if (released) {
                        return;
                    }
                    released = true;
                }
                release(key, entry, true);
            }
        };
    }
}
