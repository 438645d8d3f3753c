package dev.jrun.hook;

import dev.jrun.spec.model.Hooks;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the hooks that belong in the runtime's namespaces (prestart, createRuntime, poststart, poststop) from this
 * JVM with ProcessBuilder: the hook's environment is exactly its `env`, the state JSON is on its stdin, and what it
 * prints goes, line by line, to the runtime's log (never to the container's stdio). The hooks that run in the
 * container's namespaces are the helper's (hooks.c); this class never enters a namespace.
 */
public final class HookRunner {
    /** Output lines quoted in a failure: enough to see why, short enough for one error line. */
    static final int QUOTED_LINES = 5;
    /** How long the output of a finished hook may still flow (a child it left behind may hold its pipe open). */
    private static final Duration OUTPUT_DRAIN = Duration.ofSeconds(2);

    private final PrintWriter log;
    private final java.nio.file.Path workingDirectory;

    /**
     * @param log              the runtime's log: --log when given, else jrun's stderr
     * @param workingDirectory where the hook starts: the caller's working directory, as a runtime the caller had
     *                         started itself would give it (under the warm server, not the server's)
     */
    public HookRunner(PrintWriter log, java.nio.file.Path workingDirectory) {
        this.log = log;
        this.workingDirectory = workingDirectory;
    }

    /**
     * Runs every hook of the kind in order and stops at the first that fails (prestart, createRuntime: the spec has
     * the operation fail then).
     */
    public void runAll(HookKind kind, Hooks hooks, String state) throws HookFailure {
        List<Hooks.Hook> list = kind.of(hooks);
        for (int i = 0; i < list.size(); i++) {
            run(kind, i, list.get(i), state);
        }
    }

    /**
     * Runs every hook of the kind in order whatever fails (poststart, poststop: the spec has a warning logged and the
     * lifecycle go on), and returns the failures.
     */
    public List<HookFailure> runAllTolerating(HookKind kind, Hooks hooks, String state) {
        List<HookFailure> failures = new ArrayList<>();
        List<Hooks.Hook> list = kind.of(hooks);
        for (int i = 0; i < list.size(); i++) {
            try {
                run(kind, i, list.get(i), state);
            } catch (HookFailure failure) {
                failures.add(failure);
            }
        }
        return failures;
    }

    void run(HookKind kind, int index, Hooks.Hook hook, String state) throws HookFailure {
        String label = kind.name(index, hook.path());
        ProcessBuilder builder = new ProcessBuilder(command(hook)).redirectErrorStream(true)
                // A caller whose directory is gone since would make every hook fail to start: / then, as for a daemon.
                .directory(java.nio.file.Files.isDirectory(workingDirectory) ? workingDirectory.toFile() : new java.io.File("/"));
        Map<String, String> env = builder.environment();
        env.clear(); // the hook's environment is its env, nothing of jrun's
        for (String entry : hook.env()) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                env.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new HookFailure(kind, index, hook.path(), "could not be started: " + e.getMessage(), List.of());
        }
        feed(process, state);
        List<String> firstLines = Collections.synchronizedList(new ArrayList<>());
        Thread output = Thread.ofPlatform().daemon().name("hook-output").start(() -> relay(process, label, firstLines));
        try {
            boolean finished;
            if (hook.timeout() == null) {
                process.waitFor();
                finished = true;
            } else {
                finished = process.waitFor(hook.timeout(), TimeUnit.SECONDS);
            }
            if (!finished) {
                process.destroyForcibly();
                process.waitFor();
                output.join(OUTPUT_DRAIN);
                throw new HookFailure(kind, index, hook.path(), "did not finish within its timeout of " + hook.timeout()
                        + " s and was killed", copy(firstLines));
            }
            output.join(OUTPUT_DRAIN);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new HookFailure(kind, index, hook.path(), "was interrupted and killed", copy(firstLines));
        }
        int status = process.exitValue();
        if (status != 0) {
            // The JDK reports a process killed by signal N as 128+N, as a shell does.
            throw new HookFailure(kind, index, hook.path(), "failed with exit status " + status, copy(firstLines));
        }
    }

    /** argv is the hook's args (path when there are none); execv's args[0] cannot differ from path through ProcessBuilder. */
    static List<String> command(Hooks.Hook hook) {
        List<String> command = new ArrayList<>();
        command.add(hook.path());
        if (hook.args().size() > 1) {
            command.addAll(hook.args().subList(1, hook.args().size()));
        }
        return command;
    }

    /** From a thread of its own: a hook that never reads its stdin must not block jrun; a closed pipe is fine. */
    private static void feed(Process process, String state) {
        Thread.ofPlatform().daemon().name("hook-stdin").start(() -> {
            try (OutputStream in = process.getOutputStream()) {
                in.write(state.getBytes(StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // EPIPE: the hook exited or closed its stdin without reading the state, which is its right
            }
        });
    }

    private void relay(Process process, String label, List<String> firstLines) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (firstLines.size() < QUOTED_LINES) {
                    firstLines.add(line);
                }
                synchronized (log) {
                    log.println("jrun: " + label + ": " + line);
                    log.flush();
                }
            }
        } catch (IOException ignored) {
            // the pipe closed under us: the hook was killed
        }
    }

    private static List<String> copy(List<String> lines) {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }
}
