package dev.jrun.server;

import dev.jrun.error.JrunException;
import dev.jrun.sys.Errno;
import dev.jrun.sys.FileDescriptors;
import dev.jrun.sys.FileIdentity;
import dev.jrun.sys.NativeException;
import dev.jrun.sys.UnixSockets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The warm jrun server (docs/server.md): listens on &lt;dir&gt;/jrun.sock and runs each client's command line
 * on a virtual thread of its own. This thread accepts and keeps time; it stops the server when a client of
 * another build asks (STALE) or when no request has been in flight for the idle timeout. Stopping removes the
 * socket first (new clients then start a new server), serves the connections already queued, waits for the
 * requests in flight, and returns.
 */
public final class Server {
    public static final String SOCKET = "jrun.sock";
    /** This server's pid while it serves, so that scripts and tests can stop exactly it (SIGTERM). */
    public static final String PID_FILE = "jrun-server.pid";
    /** The lock a client holds (flock) while it starts a server in the directory (the client's LOCK_NAME). */
    public static final String START_LOCK = "jrun-server.lock";
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(300);
    private static final int BACKLOG = 128;
    /** After accept(2) fails (EMFILE and the like), the listening socket rests this long instead of waking poll at once. */
    private static final long ACCEPT_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final ScopedValue<Boolean> SERVING = ScopedValue.newInstance();

    private final Path socket;
    private final Path pidFile;
    private final ServerLog log;
    private final Duration idleTimeout;
    private final Commands commands;
    private final String buildId;
    private final FileIdentity boundSocket;
    private final int wakeFd;
    private int listenFd;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final CountDownLatch firstAnswered = new CountDownLatch(1);
    private volatile long idleSince = System.nanoTime();
    private volatile String stopReason;
    private boolean stopped;
    private long served;
    private long acceptPausedUntil;

    private Server(Path socket, ServerLog log, Duration idleTimeout, Commands commands, int listenFd, FileIdentity boundSocket,
            int wakeFd) {
        this.socket = socket;
        this.pidFile = socket.resolveSibling(PID_FILE);
        this.log = log;
        this.idleTimeout = idleTimeout;
        this.commands = commands;
        this.buildId = BuildId.ofThisJar();
        this.listenFd = listenFd;
        this.boundSocket = boundSocket;
        this.wakeFd = wakeFd;
    }

    /** True on a thread serving a request (so `jrun server` itself is refused through a server). */
    public static boolean servingARequest() {
        return SERVING.isBound();
    }

    static <R> R serving(Callable<R> work) {
        try {
            return ScopedValue.where(SERVING, Boolean.TRUE).call(work::call);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Binds &lt;dir&gt;/jrun.sock (dir made 0700 if missing, and refused unless it is this uid's and nobody else
     * may write it; the socket 0600). A socket file nobody answers on is replaced; if a server answers, this one
     * is refused.
     */
    public static Server bind(Path dir, Duration idleTimeout, Commands commands) throws JrunException {
        Path socket = dir.resolve(SOCKET);
        int bytes = socket.toString().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > UnixSockets.MAX_PATH_BYTES) {
            throw new JrunException.InvalidInput("the server's socket " + socket + " would be " + bytes + " bytes long, and a Unix"
                    + " socket path holds at most " + UnixSockets.MAX_PATH_BYTES + "; use a shorter --dir");
        }
        ServerDirectory.prepare(dir);
        ServerLog log = new ServerLog(dir);
        replaceStaleSocket(socket, log);
        int listenFd;
        try {
            listenFd = UnixSockets.listen(socket, BACKLOG);
        } catch (NativeException e) {
            if (e.errno() == Errno.EADDRINUSE) {
                throw new JrunException.SystemFailure("another jrun server bound " + socket + " at the same moment; it serves from " + dir, e);
            }
            throw new JrunException.SystemFailure("cannot listen on " + socket + ": " + e.getMessage(), e);
        }
        try {
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
            FileIdentity identity = FileIdentity.of(socket).orElseThrow(() -> new IOException("cannot read it back"));
            return new Server(socket, log, idleTimeout, commands, listenFd, identity, FileDescriptors.eventFd());
        } catch (IOException | NativeException e) {
            FileDescriptors.close(listenFd);
            try {
                Files.deleteIfExists(socket);
            } catch (IOException ignored) {
                // the error below is what the operator needs
            }
            throw new JrunException.SystemFailure("cannot set up the socket " + socket + ": " + e.getMessage(), e);
        }
    }

    /** A socket file is stale when connecting is refused; anything else at the path is not jrun's to remove. */
    private static void replaceStaleSocket(Path socket, ServerLog log) throws JrunException {
        Optional<Integer> mode = modeOf(socket);
        if (mode.isEmpty()) {
            return;
        }
        if ((mode.get() & 0170000) != 0140000) {
            throw new JrunException.InvalidInput(socket + " exists and is not a socket; the jrun server's socket goes there:"
                    + " move that file away");
        }
        try {
            FileDescriptors.close(UnixSockets.connect(socket));
            throw new JrunException.SystemFailure("a jrun server already answers on " + socket + " (its log: "
                    + log.file() + "); nothing to do", null);
        } catch (NativeException e) {
            if (e.errno() == Errno.ENOENT) {
                return; // removed meanwhile: its server has just stopped
            }
            if (e.errno() != Errno.ECONNREFUSED) {
                throw new JrunException.SystemFailure("cannot tell whether a jrun server answers on " + socket + ": " + e.getMessage(), e);
            }
        }
        try {
            Files.deleteIfExists(socket);
            log.line("replaced a stale socket (nothing answered on " + socket + ")");
        } catch (IOException e) {
            throw new JrunException.SystemFailure("cannot remove the stale socket " + socket + ": " + e.getMessage(), e);
        }
    }

    private static Optional<Integer> modeOf(Path path) {
        try {
            return Optional.of((Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS));
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    /**
     * Tells the client that started this server that its socket listens (docs/server.md): one byte on readyFd, which is
     * then closed, so that nothing this server starts later inherits it. A client gone meanwhile costs a log line.
     */
    public void tellListening(int readyFd) {
        try {
            FileDescriptors.writeFully(readyFd, new byte[] {1}, 0, 1, "the readiness descriptor " + readyFd);
        } catch (NativeException e) {
            log.line("cannot tell the client that started this server that it listens: " + e.getMessage());
        } finally {
            FileDescriptors.close(readyFd);
        }
    }

    /** Waits until this server has answered its first request (its caller has then had its answer), at most timeout. */
    public void awaitFirstAnswer(Duration timeout) throws InterruptedException {
        firstAnswered.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Adds a line to the server's log, for what `jrun server` did before serving (its cgroups: docs/server.md). */
    public void log(String event) {
        log.line(event);
    }

    /** Removes the directories beside this server's that servers now gone left (StaleSiblings), saying so in the log. */
    public void sweepStaleSiblings() {
        StaleSiblings.sweep(socket.getParent(), java.time.Instant.now()).forEach(log::line);
    }

    /** Serves until stopped (STALE, idle, or a signal); returns once every request has finished. */
    public void serve() {
        Thread onSignal = Thread.ofPlatform().unstarted(() -> finish("stopped by a signal with " + inFlight.get() + " request(s) in flight"));
        Runtime.getRuntime().addShutdownHook(onSignal);
        writePidFile();
        // The way out when the jar is rebuilt under this server (JarWatch) must not need the new jar: load it now.
        FrameCodec.encode(new Frame.Stale());
        log.line("started: socket " + socket + ", build " + buildId + ", idle timeout " + (idleTimeout.isZero() ? "none" : idleTimeout.toSeconds() + " s"));
        try (Readiness readiness = Readiness.start(log)) {
            RequestHandler handler = new RequestHandler(readiness, log, socket, UnixSockets.effectiveUid(), buildId, commands, this::stop);
            loop(handler);
        } catch (NativeException e) {
            log.line("cannot wait for clients: " + e.getMessage());
        } finally {
            finish("stopped: " + stopReason + "; served " + served + " request(s)");
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run: finish() is idempotent
            }
        }
    }

    /** Stops accepting (from any thread): the socket goes at once, the requests in flight are finished. */
    void stop(String reason) {
        synchronized (this) {
            if (stopReason != null) {
                return;
            }
            stopReason = reason;
        }
        removeOwnSocket();
        log.line("stopping: " + reason + (inFlight.get() > 0 ? "; finishing " + inFlight.get() + " request(s) in flight" : ""));
        FileDescriptors.signal(wakeFd);
    }

    private void loop(RequestHandler handler) {
        while (true) {
            if (stopReason != null) {
                if (listenFd >= 0) {
                    acceptAll(handler); // queued before the socket went: they are served, not dropped
                    FileDescriptors.close(listenFd);
                    listenFd = -1;
                }
                if (inFlight.get() == 0) {
                    return;
                }
            }
            int timeoutMillis = -1;
            if (stopReason == null && inFlight.get() == 0 && !idleTimeout.isZero()) {   // zero: never idle out
                long remaining = idleSince + idleTimeout.toNanos() - System.nanoTime();
                if (remaining <= 0) {
                    stop("idle for " + idleTimeout.toSeconds() + " s");
                    continue;
                }
                timeoutMillis = (int) Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(remaining) + 1);
            }
            long pause = acceptPausedUntil - System.nanoTime();
            boolean listening = listenFd >= 0 && pause <= 0;
            if (listenFd >= 0 && pause > 0) {
                int pauseMillis = (int) TimeUnit.NANOSECONDS.toMillis(pause) + 1;
                timeoutMillis = timeoutMillis < 0 ? pauseMillis : Math.min(timeoutMillis, pauseMillis);
            }
            int[] fds = listening ? new int[] {wakeFd, listenFd} : new int[] {wakeFd};
            short[] events = listening ? new short[] {FileDescriptors.POLLIN, FileDescriptors.POLLIN} : new short[] {FileDescriptors.POLLIN};
            short[] ready;
            try {
                ready = FileDescriptors.poll(fds, events, timeoutMillis);
            } catch (NativeException e) {
                stop("cannot wait for clients: " + e.getMessage());
                continue;
            }
            if (ready[0] != 0) {
                FileDescriptors.drain(wakeFd);
            }
            if (fds.length > 1 && ready[1] != 0) {
                acceptAll(handler);
            }
        }
    }

    private void acceptAll(RequestHandler handler) {
        while (true) {
            OptionalInt accepted;
            try {
                accepted = UnixSockets.accept(listenFd);
            } catch (NativeException e) {
                // EMFILE and the like: the client stays queued and is tried again after a pause
                log.line("cannot accept a client: " + e.getMessage());
                acceptPausedUntil = System.nanoTime() + ACCEPT_PAUSE_NANOS;
                return;
            }
            if (accepted.isEmpty()) {
                return;
            }
            int fd = accepted.getAsInt();
            inFlight.incrementAndGet();
            served++;
            Thread.ofVirtual().name("jrun-request-" + served).start(() -> {
                try {
                    handler.serve(fd);
                } finally {
                    firstAnswered.countDown();
                    if (inFlight.decrementAndGet() == 0) {
                        idleSince = System.nanoTime();
                    }
                    FileDescriptors.signal(wakeFd);
                }
            });
        }
    }

    /** Removes the socket only while it is still the one this server bound (a newer server may own the path). */
    private void removeOwnSocket() {
        if (FileIdentity.of(socket).filter(boundSocket::equals).isPresent()) {
            try {
                Files.deleteIfExists(socket);
            } catch (IOException e) {
                log.line("cannot remove " + socket + ": " + e.getMessage());
            }
        }
    }

    /** Written by rename, so that a reader never sees half a pid. */
    private void writePidFile() {
        Path partial = pidFile.resolveSibling(PID_FILE + "." + ProcessHandle.current().pid());
        try {
            Files.writeString(partial, ProcessHandle.current().pid() + "\n");
            Files.move(partial, pidFile, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            log.line("cannot write " + pidFile + ": " + e.getMessage());
        }
    }

    /** Removes the pid file only while it names this server (a newer server may have written its own). */
    private void removeOwnPidFile() {
        try {
            if (Files.readString(pidFile).strip().equals(Long.toString(ProcessHandle.current().pid()))) {
                Files.delete(pidFile);
            }
        } catch (IOException gone) {
            // missing or unreadable: not ours to worry about
        }
    }

    private synchronized void finish(String event) {
        if (stopped) {
            return;
        }
        stopped = true;
        removeOwnSocket();
        removeOwnPidFile();
        log.line(event);
    }
}
