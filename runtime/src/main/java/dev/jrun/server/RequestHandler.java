package dev.jrun.server;

import dev.jrun.call.CallerPresence;
import dev.jrun.call.Invocation;
import dev.jrun.sys.FileDescriptors;
import dev.jrun.sys.UnixSockets;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Serves one connection on its own virtual thread (docs/server.md): the peer's uid is checked, the REQUEST and
 * the caller's stdio are received, a request of another build stops the server (STALE), and any other runs as
 * the command line it carries, with the caller's cwd, JRUN_* variables and XDG_RUNTIME_DIR, stdio and the client as helper
 * launcher; then EXIT.
 */
final class RequestHandler {
    /** A client sends its REQUEST as soon as it has connected; one that does not in this time is dropped. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final String ENV_PREFIX = "JRUN_";
    /** The one other variable a client passes on: a non-root caller's state lives there (its default --root). */

    private final Readiness readiness;
    private final ServerLog log;
    private final Path socket;
    private final int ownUid;
    private final String buildId;
    private final Commands commands;
    private final Consumer<String> stopAsStale;
    private final JarWatch jar = JarWatch.ofThisJar();
    private final PeerNamespaces namespaces = new PeerNamespaces();

    RequestHandler(Readiness readiness, ServerLog log, Path socket, int ownUid, String buildId, Commands commands,
            Consumer<String> stopAsStale) {
        this.readiness = readiness;
        this.log = log;
        this.socket = socket;
        this.ownUid = ownUid;
        this.buildId = buildId;
        this.commands = commands;
        this.stopAsStale = stopAsStale;
    }

    void serve(int fd) {
        long peerPid = 0;
        try (ClientConnection connection = new ClientConnection(fd, readiness)) {
            UnixSockets.PeerCredentials peer = connection.peer();
            peerPid = peer.pid();
            Optional<ClientConnection.First> first = connection.first(System.nanoTime() + REQUEST_TIMEOUT.toNanos());
            if (first.isEmpty()) {
                return; // connected and closed: someone checking that a server answers
            }
            Frame answer = answer(connection, peer, first.get());
            try {
                connection.send(answer);
            } catch (IOException recorded) {
                // in connection.failure(), logged just below with whatever broke the connection first
            }
            connection.failure().ifPresent(e -> logFailure(e, peer.pid()));
        } catch (IOException e) {
            logFailure(e, peerPid);
        } catch (RuntimeException e) {
            log.line("internal error serving client pid " + peerPid + ": " + e);
        }
    }

    /** EXIT or STALE; the caller's descriptors are closed before it is sent. */
    private Frame answer(ClientConnection connection, UnixSockets.PeerCredentials peer, ClientConnection.First first)
            throws IOException {
        if (!(first.frame() instanceof Frame.Request request) || first.fds().size() != 3) {
            first.fds().forEach(FileDescriptors::close);
            throw new ProtocolException("the first frame must be a REQUEST carrying three descriptors; it was "
                    + first.frame().getClass().getSimpleName() + " with " + first.fds().size());
        }
        try (CallerStdio stdio = CallerStdio.of(first.fds())) {
            if (peer.uid() != ownUid) {
                log.line("refused peer pid " + peer.pid() + " uid " + peer.uid() + ": this server serves uid " + ownUid + " only");
                stdio.err().println("jrun: the jrun server on " + socket + " serves uid " + ownUid + " only, and you are uid "
                        + peer.uid() + "; run jrun as uid " + ownUid + ", or one-shot with JRUN_SERVER=off");
                return new Frame.Exit(1);
            }
            List<String> elsewhere = namespaces.differing(peer.pid());
            if (!elsewhere.isEmpty()) {
                log.line("refused peer pid " + peer.pid() + ": its " + String.join(", ", elsewhere) + " namespace(s) are not this server's");
                stdio.err().println("jrun: the jrun server on " + socket + " runs in other " + String.join(", ", elsewhere)
                        + " namespace(s) than you, where your pids, paths and devices mean other things; leave JRUN_SERVER_DIR unset"
                        + " (each set of namespaces then gets its own server), or run one-shot with JRUN_SERVER=off");
                return new Frame.Exit(1);
            }
            if (request.version() != Frame.VERSION) {
                return new Frame.Exit(refuse(stdio, "the jrun client speaks protocol version " + request.version() + " and this server "
                        + Frame.VERSION + "; the client and bin/jrun come from different builds: rebuild with scripts/build.sh"));
            }
            if (!request.buildId().equals(buildId)) {
                String reason = "stale build: a client of build " + request.buildId() + " asked this server of build " + buildId;
                stopAsStale.accept(reason);
                return new Frame.Stale();
            }
            Optional<String> rebuilt = jar.change();
            if (rebuilt.isPresent()) {
                stopAsStale.accept("stale jar: " + rebuilt.get());
                return new Frame.Stale();
            }
            return new Frame.Exit(run(request, peer, stdio, connection));
        }
    }

    private int run(Frame.Request request, UnixSockets.PeerCredentials peer, CallerStdio stdio, ClientConnection connection) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String entry : request.env()) {
            int eq = entry.indexOf('=');
            if (eq <= 0 || !entry.startsWith(ENV_PREFIX) && !Frame.FORWARDED_VARIABLES.contains(entry.substring(0, eq))) {
                return refuse(stdio, "the REQUEST's environment holds \"" + entry + "\"; only JRUN_NAME=value and "
                        + String.join(", ", Frame.FORWARDED_VARIABLES) + " entries are sent");
            }
            env.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
        Path cwd = Path.of(request.cwd());
        if (!cwd.isAbsolute()) {
            return refuse(stdio, "the REQUEST's working directory \"" + request.cwd() + "\" is not absolute");
        }
        CallerPresence caller = CallerPresence.watched();
        Invocation invocation = new Invocation(cwd, env, stdio.out(), stdio.err(), new RemoteHelperLauncher(connection),
                new Invocation.Credentials(peer.pid(), Integer.toUnsignedLong(peer.uid()), Integer.toUnsignedLong(peer.gid())), caller,
                stdio.in());
        List<String> argv = request.argv();
        try (Readiness.HangupWatch _ = connection.watchHangup(() -> {
            log.line("client pid " + peer.pid() + " went away during " + argv);
            caller.markGone();
        })) {
            return Server.serving(() -> commands.run(argv.toArray(String[]::new), invocation));
        } catch (RuntimeException e) {
            // The commands report their own failures; what reaches here is a lost client or a bug.
            log.line("request " + argv + " failed: " + e);
            stdio.err().println("jrun: internal error in the jrun server: " + e + " (see " + log.file() + ")");
            return 1;
        }
    }

    private int refuse(CallerStdio stdio, String problem) {
        log.line("protocol error: " + problem);
        stdio.err().println("jrun: " + problem + " (see " + log.file() + ")");
        return 1;
    }

    private void logFailure(IOException e, long peerPid) {
        String what = e instanceof ProtocolException ? "protocol error" : "connection lost";
        log.line(what + " with client pid " + peerPid + ": " + e.getMessage());
    }
}
