package dev.jrun.server;

import dev.jrun.lifecycle.JrunProcess;
import dev.jrun.testing.Command;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The Python client of the tests (test_client.py, written from docs/server.md) for one server: run to the end
 * through {@link Command}, or started in the background when a test must act while the request is in flight.
 */
record TestClient(List<String> launcher, Path script, Path socket, String buildId) {

    static TestClient of(Path socket) {
        return new TestClient(List.of(python()), bundledScript(), socket, buildIdOfTheJar());
    }

    /**
     * The system's python3 when there is one: any user can run it (ServerIT runs one as uid 65534), and it
     * starts in ~25 ms where a pyenv shim on PATH takes ~150.
     */
    static String python() {
        return Stream.of("/usr/bin/python3", "/usr/local/bin/python3").filter(p -> Files.isExecutable(Path.of(p)))
                .findFirst().orElse("python3");
    }

    /** The same client for a request of another build. */
    TestClient withBuildId(String other) {
        return new TestClient(launcher, script, socket, other);
    }

    /** The same client started through prefix (e.g. setpriv as another user), from a copy of the script at script. */
    TestClient through(List<String> prefix, Path scriptCopy) {
        return new TestClient(prefix, scriptCopy, socket, buildId);
    }

    static Path bundledScript() {
        try {
            return Path.of(TestClient.class.getResource("test_client.py").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The build id inside runtime/target/jrun.jar, which bin/jrun runs: what a client of the same build sends. */
    static String buildIdOfTheJar() {
        try (JarFile jar = new JarFile(JrunProcess.REPO.resolve("runtime/target/jrun.jar").toFile())) {
            return new String(jar.getInputStream(jar.getEntry("dev/jrun/server/build-id")).readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<String> command(List<String> options, List<String> argv) {
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of(script.toString(), "--socket", socket.toString(), "--build-id", buildId));
        command.addAll(options);
        command.add("--");
        command.addAll(argv);
        return command;
    }

    /** One request to its end: the client's exit status and what the server wrote on its stdout and stderr. */
    Command.Result run(String... argv) throws IOException, InterruptedException {
        return Command.of(command(List.of(), List.of(argv))).run(Duration.ofSeconds(60));
    }

    Command.Result runIn(Path cwd, String... argv) throws IOException, InterruptedException {
        return Command.of(command(List.of(), List.of(argv))).in(cwd).run(Duration.ofSeconds(60));
    }

    /** A request left running: its stdio and its event report are files in dir. */
    Background start(Path dir, Map<String, String> env, List<String> options, String... argv) throws IOException {
        Path out = Files.createTempFile(dir, "client-", ".out");
        Path err = Files.createTempFile(dir, "client-", ".err");
        Path report = Files.createTempFile(dir, "client-", ".report");
        List<String> withReport = new ArrayList<>(List.of("--report", report.toString()));
        withReport.addAll(options);
        ProcessBuilder builder = new ProcessBuilder(command(withReport, List.of(argv)))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(env);
        return new Background(builder.start(), out, err, report);
    }

    /** A client process the test started; the test ends it (by its own pid) if it is still running. */
    record Background(Process process, Path outFile, Path errFile, Path reportFile) {
        long pid() {
            return process.pid();
        }

        String out() throws IOException {
            return Files.readString(outFile, StandardCharsets.UTF_8);
        }

        String err() throws IOException {
            return Files.readString(errFile, StandardCharsets.UTF_8);
        }

        List<String> events() throws IOException {
            return Files.readAllLines(reportFile, StandardCharsets.UTF_8);
        }

        boolean reported(String prefix) throws IOException {
            return events().stream().anyMatch(line -> line.startsWith(prefix));
        }

        /** The exit status; fails (after killing it) if it has not exited within timeout. */
        int exitWithin(Duration timeout) throws IOException, InterruptedException {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                end();
                throw new AssertionError("the test client did not finish in " + timeout + ":\n" + transcript());
            }
            return process.exitValue();
        }

        String transcript() throws IOException {
            return "--- stdout:\n" + out() + "--- stderr:\n" + err() + "--- events:\n" + String.join("\n", events());
        }

        void end() throws InterruptedException {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
