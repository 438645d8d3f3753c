package dev.jrun.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jrun.testing.Command;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** bin/jrun with its own --root, run as a real process the way users and tools run it. */
public record JrunProcess(Path executable, Path stateRoot) {
    public static final Path REPO = Path.of(System.getProperty("jrun.repo", "..")).toAbsolutePath().normalize();

    public static JrunProcess withRoot(Path stateRoot) {
        return new JrunProcess(REPO.resolve("bin/jrun"), stateRoot);
    }

    public record Result(int code, String out, String err) {
        public JsonNode json() throws IOException {
            return new ObjectMapper().readTree(out);
        }
    }

    public Result run(String... args) throws IOException, InterruptedException {
        return runIn(null, args);
    }

    /** The same, with cwd as jrun's working directory (null: the test's). */
    public Result runIn(Path cwd, String... args) throws IOException, InterruptedException {
        return run(cwd, null, args);
    }

    /** The same, with input as jrun's stdin. */
    public Result runWithInput(Path input, String... args) throws IOException, InterruptedException {
        return run(null, input, args);
    }

    private Result run(Path cwd, Path input, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(executable.toString(), "--root", stateRoot.toString()));
        command.addAll(List.of(args));
        // Command captures to files, not pipes: a created container's init keeps jrun's stdout open until it exits.
        Command.Result result = Command.of(command).in(cwd).withInput(input).run(Duration.ofSeconds(60));
        return new Result(result.code(), result.out(), result.err());
    }

    /** The status field of `jrun state ID`, or "absent" when the container does not exist. */
    public String status(String id) throws IOException, InterruptedException {
        Result state = run("state", id);
        return state.code() == 0 ? state.json().get("status").asText() : "absent";
    }
}
