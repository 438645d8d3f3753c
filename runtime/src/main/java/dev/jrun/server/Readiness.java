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
    private final Queue<HangupWatch> watchArrivals = new ConcurrentLinkedQueue<>();
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

    /** Watches one connection for its client's end closing, for the request's whole life. */
    final class HangupWatch implements AutoCloseable {
        final int fd;
        final Runnable onHangup;
        volatile boolean cancelled;

        private HangupWatch(int fd, Runnable onHangup) {
            this.fd = fd;
            this.onHangup = onHangup;
        }

        /** Stops watching (the request is over); the callback will not run after this returns to the loop. */
        @Override
        public void close() {
            cancelled = true;
            FileDescriptors.signal(wakeFd);
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

    /**
     * Calls onHangup (on this class's thread; it must be quick) once fd's peer has closed its end: POLLRDHUP only,
     * so the frames the client sends meanwhile do not wake it. Close the watch when the request is over.
     */
    HangupWatch watchHangup(int fd, Runnable onHangup) {
        HangupWatch watch = new HangupWatch(fd, onHangup);
        watchArrivals.add(watch);
        FileDescriptors.signal(wakeFd);
        return watch;
    }

    private void loop() {
        List<Waiter> waiting = new ArrayList<>();
        List<HangupWatch> watching = new ArrayList<>();
        while (!closed) {
            for (Waiter arrived; (arrived = arrivals.poll()) != null; ) {
                waiting.add(arrived);
            }
            for (HangupWatch arrived; (arrived = watchArrivals.poll()) != null; ) {
                watching.add(arrived);
            }
            waiting.removeIf(w -> w.cancelled);
            watching.removeIf(w -> w.cancelled);
            int watched = waiting.size() + 1;
            int[] fds = new int[watched + watching.size()];
            short[] events = new short[fds.length];
            fds[0] = wakeFd;
            events[0] = FileDescriptors.POLLIN;
            for (int i = 0; i < waiting.size(); i++) {
                fds[i + 1] = waiting.get(i).fd;
                events[i + 1] = FileDescriptors.POLLIN;
            }
            for (int i = 0; i < watching.size(); i++) {
                fds[watched + i] = watching.get(i).fd;
                events[watched + i] = FileDescriptors.POLLRDHUP;
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
            for (int i = watching.size() - 1; i >= 0; i--) {
                if (returned[watched + i] != 0) {
                    HangupWatch hungUp = watching.remove(i);
                    if (!hungUp.cancelled) {
                        hungUp.onHangup.run();
                    }
                }
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
