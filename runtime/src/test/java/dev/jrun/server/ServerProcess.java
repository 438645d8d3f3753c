package dev.jrun.server;

import static org.awaitility.Awaitility.await;

import dev.jrun.lifecycle.JrunProcess;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** `bin/jrun server` as a process of the test's own: started, watched, and ended by its exact pid only. */
final class ServerProcess {
    private final Process process;
    private final Path dir;
    private final Path out;
    private final Path err;

    private ServerProcess(Process process, Path dir, Path out, Path err) {
        this.process = process;
        this.dir = dir;
        this.out = out;
        this.err = err;
    }

    /** Starts a server in dir (its socket, log, pid file) and returns once its socket answers (its output goes to files in work). */
    static ServerProcess start(Path dir, Path work, int idleTimeoutSeconds) throws IOException {
        return start(List.of(JrunProcess.REPO.resolve("bin/jrun").toString()), dir, work, idleTimeoutSeconds);
    }

    /** The same, from another copy of the jar (plain java, without bin/jrun's flags and AOT cache). */
    static ServerProcess startFromJar(Path jar, Path dir, Path work, int idleTimeoutSeconds) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return start(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED", "-cp", jar.toString(), "dev.jrun.cli.Main"), dir, work,
                idleTimeoutSeconds);
    }

    private static ServerProcess start(List<String> jrun, Path dir, Path work, int idleTimeoutSeconds) throws IOException {
        Path out = Files.createTempFile(work, "server-", ".out");
        Path err = Files.createTempFile(work, "server-", ".err");
        List<String> command = new ArrayList<>(jrun);
        command.addAll(List.of("server", "--dir", dir.toString(), "--idle-timeout", Integer.toString(idleTimeoutSeconds)));
        Process process = new ProcessBuilder(command)
                .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        ServerProcess server = new ServerProcess(process, dir, out, err);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("the server exited with " + process.exitValue() + " at start: " + server.output());
            }
            return server.log().contains("(pid " + process.pid() + "): started: socket");   // its own line: the log outlives servers
        });
        return server;
    }

    Path socket() {
        return dir.resolve(Server.SOCKET);
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Its exit status once it has exited by itself within timeout; fails otherwise. */
    int awaitExit(Duration timeout) throws InterruptedException, IOException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the server is still running after " + timeout + "; its log:\n" + log());
        }
        return process.exitValue();
    }

    /** SIGKILL, as a crash or an impatient operator would. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM (then SIGKILL if it lingers): the end of a test. */
    void stop() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    String log() throws IOException {
        Path log = dir.resolve(ServerLog.FILE);
        return Files.exists(log) ? Files.readString(log) : "";
    }

    String output() throws IOException {
        return "--- stdout:\n" + Files.readString(out, StandardCharsets.UTF_8) + "--- stderr:\n" + Files.readString(err, StandardCharsets.UTF_8);
    }
}
