package dev.jrun.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** bin/jrun with its own --root, run as a real process the way users and tools run it. */
record JrunProcess(Path executable, Path stateRoot) {
    static final Path REPO = Path.of(System.getProperty("jrun.repo", "..")).toAbsolutePath().normalize();

    static JrunProcess withRoot(Path stateRoot) {
        return new JrunProcess(REPO.resolve("bin/jrun"), stateRoot);
    }

    record Result(int code, String out, String err) {
        JsonNode json() throws IOException {
            return new ObjectMapper().readTree(out);
        }
    }

    Result run(String... args) throws IOException, InterruptedException {
        return runIn(null, args);
    }

    /** The same, with cwd as jrun's working directory (null: the test's). */
    Result runIn(Path cwd, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(executable.toString(), "--root", stateRoot.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("jrun-it-", ".out");
        Path err = Files.createTempFile("jrun-it-", ".err");
        try {
            // Files, not pipes: a created container's init keeps jrun's stdout open until it exits.
            Process process = new ProcessBuilder(command).directory(cwd == null ? null : cwd.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in 60 s");
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** The status field of `jrun state ID`, or "absent" when the container does not exist. */
    String status(String id) throws IOException, InterruptedException {
        Result state = run("state", id);
        return state.code() == 0 ? state.json().get("status").asText() : "absent";
    }
}
