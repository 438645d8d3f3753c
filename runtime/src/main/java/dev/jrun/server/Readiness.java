package dev.jrun.server;

import dev.jrun.sys.FileDescriptors;
import dev.jrun.sys.NativeException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits until client sockets are readable, for the requests' virtual threads. A native call pins the carrier
 * thread of the virtual thread that makes it, and there are only as many carriers as cores: a request that sat
 * in recvmsg(2) while its client waits for a container (`jrun run`) would take one away for the container's
 * whole life, and two such requests would stop a two-core server. So requests read without waiting
 * (MSG_DONTWAIT) and, when nothing is there, park here while this one platform thread sits in poll(2) for all
 * of them and unparks each whose socket has something.
 */
final class Readiness implements AutoCloseable {
    private final int wakeFd;
    private final Queue<Waiter> arrivals = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private final ServerLog log;
    private volatile boolean closed;

    private static final class Waiter {
        final int fd;
        final Thread thread;
        volatile boolean ready;
        volatile boolean cancelled;

        Waiter(int fd, Thread thread) {
            this.fd = fd;
            this.thread = thread;
        }
    }

    private Readiness(int wakeFd, ServerLog log) {
        this.wakeFd = wakeFd;
        this.log = log;
        this.thread = Thread.ofPlatform().name("jrun-server-readiness").daemon().unstarted(this::loop);
    }

    static Readiness start(ServerLog log) throws NativeException {
        Readiness readiness = new Readiness(FileDescriptors.eventFd(), log);
        readiness.thread.start();
        return readiness;
    }

    /**
     * Parks the calling thread until fd is readable (or at end of stream, or in error: the next read says which)
     * or until deadlineNanos (System.nanoTime(); 0: no deadline) has passed. False: the deadline passed first.
     */
    boolean awaitReadable(int fd, long deadlineNanos) throws InterruptedIOException {
        Waiter waiter = new Waiter(fd, Thread.currentThread());
        arrivals.add(waiter);
        FileDescriptors.signal(wakeFd);
        while (!waiter.ready) {
            if (closed) {
                throw new InterruptedIOException("the server is shutting down");
            }
            if (deadlineNanos == 0) {
                LockSupport.park(this);
            } else {
                long remaining = deadlineNanos - System.nanoTime();
                if (remaining <= 0) {
                    waiter.cancelled = true;
                    FileDescriptors.signal(wakeFd);
                    return waiter.ready;
                }
                LockSupport.parkNanos(this, remaining);
            }
            if (Thread.interrupted()) {
                waiter.cancelled = true;
                FileDescriptors.signal(wakeFd);
                throw new InterruptedIOException("interrupted while waiting for the jrun client");
            }
        }
        return true;
    }

    private void loop() {
        List<Waiter> waiting = new ArrayList<>();
        while (!closed) {
            for (Waiter arrived; (arrived = arrivals.poll()) != null; ) {
                waiting.add(arrived);
            }
            waiting.removeIf(w -> w.cancelled);
            int[] fds = new int[waiting.size() + 1];
            short[] events = new short[fds.length];
            fds[0] = wakeFd;
            events[0] = FileDescriptors.POLLIN;
            for (int i = 0; i < waiting.size(); i++) {
                fds[i + 1] = waiting.get(i).fd;
                events[i + 1] = FileDescriptors.POLLIN;
            }
            short[] returned;
            try {
                returned = FileDescriptors.poll(fds, events, -1);
            } catch (NativeException e) {
                // Cannot tell who is ready: wake everyone; each reads, finds nothing and comes back.
                log.line("poll failed, waking every waiting request: " + e.getMessage());
                returned = new short[fds.length];
                java.util.Arrays.fill(returned, FileDescriptors.POLLIN);
            }
            if (returned[0] != 0) {
                FileDescriptors.drain(wakeFd);
            }
            for (int i = waiting.size() - 1; i >= 0; i--) {
                if (returned[i + 1] != 0) {
                    Waiter ready = waiting.remove(i);
                    ready.ready = true;
                    LockSupport.unpark(ready.thread);
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        FileDescriptors.signal(wakeFd);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        FileDescriptors.close(wakeFd);
        for (Waiter left; (left = arrivals.poll()) != null; ) {
            LockSupport.unpark(left.thread);
        }
    }
}
