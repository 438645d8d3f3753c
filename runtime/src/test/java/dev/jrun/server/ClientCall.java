package dev.jrun.server;

import dev.jrun.testing.Command;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A process a test started (bin/jrun, or a caller around it), its stdout and stderr in files; ended by its own handle if it outlives the test. */
record ClientCall(Process process, Path outFile, Path errFile) {
    long pid() {
        return process.pid();
    }

    String err() throws IOException {
        return read(errFile);
    }

    int exitWithin(Duration limit) throws IOException, InterruptedException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            end();
            throw new AssertionError("a call did not end within " + limit + ": " + transcript());
        }
        return process.exitValue();
    }

    Command.Result result(Duration limit) throws IOException, InterruptedException {
        return new Command.Result(exitWithin(limit), read(outFile), read(errFile));
    }

    /** What it has written so far, for assertion messages. */
    String transcript() throws IOException {
        return "pid " + pid() + (process.isAlive() ? ", running" : ", exit " + process.exitValue()) + "\n--- stdout:\n" + read(outFile)
                + "\n--- stderr:\n" + read(errFile);
    }

    /** The same with the report it writes. */
    String transcript(Path report) throws IOException {
        return transcript() + "\n--- report:\n" + (Files.exists(report) ? read(report) : "");
    }

    void end() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Lenient decoding: output that is not valid UTF-8 must not become an error of its own. */
    private static String read(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }
}
