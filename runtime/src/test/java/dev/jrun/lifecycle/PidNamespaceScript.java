package dev.jrun.lifecycle;

import dev.jrun.testing.Command;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bash script run as PID 1 of a throwaway pid namespace: `unshare -fp --mount-proc --kill-child bash
 * SCRIPT`. Tests that signal more than one exact pid (kill --all, delete --force of a container that
 * shares a pid namespace, SIGKILL of jrun, signals to `jrun run`) run jrun this way, so that a
 * regression can only ever reach the test's own processes: the namespace sees nothing else, and when
 * the script ends (or the test gives up and kills unshare) the kernel ends every process left in it.
 *
 * The script reports what it saw as KEY=VALUE lines on stdout ({@link Result#values()}); the test
 * asserts on them. Scripts start with {@link #PRELUDE}: `jrun` (bin/jrun with the test's --root),
 * `alive PID`, `list_others`/`report_others KEY` (every live process of the namespace but the script), `wait_until SECONDS
 * COMMAND…` (a bounded polling loop on a condition, never a fixed sleep) and `report KEY VALUE`.
 */
final class PidNamespaceScript {
    static final String PRELUDE = """
            set -u
            jrun() { "$JRUN" --root "$ROOT" "$@"; }
            # alive PID: the process exists and has not exited (a zombie has exited and only waits to be reaped)
            alive() { local s; [ -n "$1" ] || return 1; read -r s 2>/dev/null < "/proc/$1/stat" || return 1; s=${s##*) }; [ "${s%% *}" != Z ]; }
            gone() { ! alive "$1"; }
            # list_others: OTHERS = the live processes of this pid namespace but this script, found with builtins
            # only (no subshell of the script's own to count), each as PID:COMM:PPID
            list_others() {
                local p s c; OTHERS=
                for p in /proc/[0-9]*; do
                    p=${p#/proc/}
                    [ "$p" = "$$" ] && continue
                    alive "$p" || continue
                    read -r s 2>/dev/null < "/proc/$p/stat" || continue; s=${s##*) }; s=${s#* }
                    c=; read -r c 2>/dev/null < "/proc/$p/comm"
                    OTHERS="${OTHERS:+$OTHERS }$p:$c:${s%% *}"
                done
            }
            none_left() { list_others; [ -z "$OTHERS" ]; }
            # wait_until SECONDS COMMAND...: polls COMMAND until it succeeds; fails after SECONDS
            wait_until() { local deadline=$((SECONDS + $1)); shift; until "$@"; do [ "$SECONDS" -ge "$deadline" ] && return 1; sleep 0.05; done; }
            has_line() { [ -f "$2" ] && grep -q -- "$1" "$2"; }
            report() { printf '%s=%s\n' "$1" "$(printf '%s' "$2" | tr '\n' '|')"; }
            # report_others KEY: reports what list_others finds (empty when nothing is left)
            report_others() { list_others; report "$1" "$OTHERS"; }
            """;

    private PidNamespaceScript() {}

    record Result(int code, String out, String err) {
        /** The KEY=VALUE lines of stdout (the last of each key wins); multi-line values have "|" for newlines. */
        Map<String, String> values() {
            Map<String, String> values = new LinkedHashMap<>();
            for (String line : out.lines().toList()) {
                int eq = line.indexOf('=');
                if (eq > 0 && line.substring(0, eq).matches("[A-Za-z0-9_]+")) {
                    values.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            return values;
        }

        String value(String key) {
            String value = values().get(key);
            if (value == null) {
                throw new AssertionError("the script reported no " + key + "\n--- stdout:\n" + out + "\n--- stderr:\n" + err);
            }
            return value;
        }

        /** Everything, for assertion messages. */
        String transcript() {
            return "exit " + code + "\n--- stdout:\n" + out + "\n--- stderr:\n" + err;
        }
    }

    /**
     * Runs PRELUDE + body in a new pid namespace. The environment gets JRUN (bin/jrun), ROOT (the
     * state root), JRUN_SERVER=off and the given variables.
     */
    static Result run(Path workDir, JrunProcess jrun, String body, Map<String, String> env, Duration timeout)
            throws IOException, InterruptedException {
        Path script = Files.createTempFile(workDir, "ns-", ".sh");
        Files.writeString(script, PRELUDE + body, StandardCharsets.UTF_8);
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("JRUN", jrun.executable().toString());
        environment.put("ROOT", jrun.stateRoot().toString());
        // One-shot: these scripts SIGKILL jrun to see what a crash leaves, and count every process of their
        // namespace; in server mode the client is not what does the work, and a server started in the namespace
        // would be counted. What killing the server or its clients leaves is ServerIT's and ClientServerIT's.
        environment.put("JRUN_SERVER", "off");
        environment.putAll(env);
        try {
            // On timeout Command kills unshare, and --kill-child makes its end take the namespace's PID 1,
            // and with it every process in it.
            Command.Result result = Command.of("unshare", "--fork", "--pid", "--mount-proc", "--kill-child", "bash", script.toString())
                    .in(workDir).withEnv(environment).run(timeout);
            return new Result(result.code(), result.out(), result.err());
        } catch (Command.TimedOut e) {
            // The script file is gone once this returns: the failure shows what it was.
            throw new AssertionError(e.getMessage() + "\n--- script:\n" + body, e);
        } finally {
            Files.deleteIfExists(script);
        }
    }
}
