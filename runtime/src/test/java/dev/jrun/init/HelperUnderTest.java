package dev.jrun.init;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The built jrun-init driven the way jrun drives it, for the tests of the protocol (no root needed): a listening
 * init socket, the helper started with nothing but JRUN_INIT_SOCK, its stdout and stderr in files of the test's
 * directory, and every helper started stopped afterwards by its exact pid.
 */
final class HelperUnderTest {
    static final Path HELPER = Path.of(System.getProperty("jrun.repo", "..")).toAbsolutePath().normalize()
            .resolve("runtime/target/jrun-init");

    private final Path dir;
    private final Duration patience;
    private final List<Process> started = new ArrayList<>();
    private InitConnection connection;

    HelperUnderTest(Path dir, Duration patience) {
        this.dir = dir;
        this.patience = patience;
    }

    /** Starts a helper on stdin, lets ready prepare its connection, accepts it and sends the plan. */
    Process start(byte[] plan, Path stdin, Consumer<InitConnection> ready) throws IOException {
        assertTrue(Files.isExecutable(HELPER), HELPER + " is missing: build with scripts/build.sh");
        connection = InitConnection.listen(dir.resolve("init.sock"));
        ready.accept(connection);
        ProcessBuilder builder = new ProcessBuilder(HELPER.toString())
                .redirectInput(ProcessBuilder.Redirect.from(stdin.toFile()))
                .redirectOutput(dir.resolve("stdout").toFile()).redirectError(dir.resolve("stderr").toFile());
        builder.environment().clear();
        builder.environment().put("JRUN_INIT_SOCK", connection.socketPath().toString());
        Process helper = builder.start();
        started.add(helper);
        connection.accept(dev.jrun.call.LocalHelperLauncher.of(helper), patience);
        connection.send(plan, patience);
        return helper;
    }

    /** The connection of the helper started last. */
    InitConnection connection() {
        return connection;
    }

    /** Closes the connection and kills every helper started (exact pids), waiting for each. */
    void stop() throws Exception {
        if (connection != null) {
            connection.close();
        }
        for (Process process : started) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
