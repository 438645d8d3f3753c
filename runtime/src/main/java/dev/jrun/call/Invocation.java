package dev.jrun.call;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * One call of jrun, as its caller made it: the working directory, the environment, the standard
 * output and error, and who spawns the processes that must descend from the caller. In a one-shot
 * JVM these are the JVM's own; in the warm server each request brings its client's. Code that
 * depends on any of them reads {@link #current()} instead of the JVM's globals, so one code path
 * serves both.
 *
 * @param cwd     the caller's working directory: relative paths on the command line are relative to it
 * @param env     the caller's environment, as far as jrun reads it (JRUN_* variables and XDG_RUNTIME_DIR)
 * @param helpers spawns jrun-init as a child of the caller (one-shot: of this JVM; server: of the client)
 * @param caller  whether the caller is still there (one-shot: always, as far as this process can see)
 * @param in      the caller's standard input (`update --resources -` reads it)
 */
public record Invocation(Path cwd, Map<String, String> env, PrintStream out, PrintStream err, HelperLauncher helpers,
        Credentials credentials, CallerPresence caller, InputStream in) {
    private static final ScopedValue<Invocation> CURRENT = ScopedValue.newInstance();

    /**
     * The calling process, and its effective uid and gid (what `spec --rootless` maps to root). The server learns them
     * from its client's socket (SO_PEERCRED); its own /proc/self is not the caller. The pid is the process whose
     * cgroups a relative linux.cgroupsPath starts from: the client, which lives where its caller does.
     */
    public record Credentials(long pid, long uid, long gid) {
        /** This process's, read from /proc/self. */
        public static Credentials ofThisProcess() {
            try {
                Path self = Path.of("/proc/self");
                return new Credentials(ProcessHandle.current().pid(), ((Number) Files.getAttribute(self, "unix:uid")).longValue(),
                        ((Number) Files.getAttribute(self, "unix:gid")).longValue());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read this process's uid and gid from /proc/self", e);
            }
        }
    }

    /** credentials null: this process's own, read only if asked for (most commands never are). */
    public Invocation {
        cwd = cwd.toAbsolutePath().normalize();
        env = Map.copyOf(env);
        caller = caller != null ? caller : CallerPresence.ofThisProcess();
        in = in != null ? in : InputStream.nullInputStream();
    }

    /** This process's caller, with this process's credentials and standard input. */
    public Invocation(Path cwd, Map<String, String> env, PrintStream out, PrintStream err, HelperLauncher helpers) {
        this(cwd, env, out, err, helpers, null, CallerPresence.ofThisProcess(), System.in);
    }

    @Override
    public Credentials credentials() {
        return credentials != null ? credentials : Credentials.ofThisProcess();
    }

    /** This JVM's own call: its working directory, environment and stdio; helpers are its children. */
    public static Invocation ofThisProcess() {
        return new Invocation(Path.of("").toAbsolutePath(), System.getenv(), System.out, System.err, new LocalHelperLauncher());
    }

    /** The invocation being served on this thread, or this process's own when none is bound. */
    public static Invocation current() {
        return CURRENT.isBound() ? CURRENT.get() : ofThisProcess();
    }

    /** Runs work with this invocation as {@link #current()}. */
    public <R, X extends Throwable> R run(ScopedValue.CallableOp<R, X> work) throws X {
        return ScopedValue.where(CURRENT, this).call(work);
    }

    /** A path the caller wrote, made absolute against the caller's working directory. */
    public Path resolve(Path path) {
        return cwd.resolve(path).normalize();
    }

    public String variable(String name) {
        return env.get(name);
    }
}
