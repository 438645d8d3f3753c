package dev.jrun.lifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** events on real containers (root required): runc's stats from the container's cgroups, and oom events. */
class EventsIT extends CgroupVerbsFixture {
    private static final Duration LONG = Duration.ofSeconds(30);

    Process follower;

    @AfterEach
    void stopTheFollower() throws Exception {
        if (follower != null) {
            follower.destroyForcibly();
            follower.waitFor(LONG.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Test
    void statsIsOneEventOfRuncsShapeAndAStoppedContainerIsRefused() throws Exception {
        start("stats", "sleep 1000 & sleep 1000 & wait", Bundles.DEFAULT_LINUX + "  resources: {memory: {limit: 268435456}, pids: {limit: 100}}\n");
        await().atMost(LONG).until(() -> jrun.run("ps", "-f", "json", "stats").json().size() == 3);
        JrunProcess.Result stats = jrun.run("events", "--stats", "stats");
        assertEquals(0, stats.code(), stats.err());
        assertEquals(1, stats.out().lines().count(), "one JSON line: " + stats.out());
        JsonNode event = stats.json();
        assertEquals("stats", event.get("type").asText());
        assertEquals("stats", event.get("id").asText());
        JsonNode data = event.get("data");
        assertEquals(3, data.at("/pids/current").asLong(), event.toString());
        assertEquals(100, data.at("/pids/limit").asLong(), event.toString());
        assertEquals(268435456, data.at("/memory/usage/limit").asLong(), event.toString());
        assertTrue(data.at("/memory/usage/usage").asLong() > 0, event.toString());
        assertTrue(data.at("/cpu/usage/total").asLong() > 0, event.toString());
        assertTrue(data.at("/memory/raw").isObject(), event.toString());

        assertEquals(0, jrun.run("kill", "stats", "KILL").code());
        await().atMost(LONG).until(() -> jrun.status("stats").equals("stopped"));
        JrunProcess.Result refused = jrun.run("events", "--stats", "stats");
        assertEquals(1, refused.code());
        assertTrue(refused.err().contains("it is stopped"), refused.err());
    }

    @Test
    void followingPrintsStatsEveryIntervalAndOomKillsUntilTheContainerStops() throws Exception {
        // dd's 64 MiB buffer cannot fit in 16 MiB of memory and swap: the OOM killer ends each dd, the shell goes on
        start("oom", "while :; do dd if=/dev/zero of=/dev/null bs=64M count=1; sleep 0.2; done",
                Bundles.DEFAULT_LINUX + "  resources: {memory: {limit: 16777216, swap: 16777216}}\n");
        Path out = files.resolve("events.out");
        follower = new ProcessBuilder(JrunProcess.REPO.resolve("bin/jrun").toString(), "--root", stateRoot.toString(),
                "events", "--interval", "100ms", "oom").redirectOutput(out.toFile()).redirectError(files.resolve("events.err").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        await().atMost(LONG).until(() -> types(out).stream().filter("stats"::equals).count() >= 2 && types(out).contains("oom"));

        assertEquals(0, jrun.run("kill", "oom", "KILL").code());
        assertTrue(follower.waitFor(LONG.toSeconds(), TimeUnit.SECONDS), "events ends once the container has stopped");
        assertEquals(0, follower.exitValue(), Files.readString(files.resolve("events.err")));
    }

    private static List<String> types(Path out) throws Exception {
        ObjectMapper json = new ObjectMapper();
        return Files.readString(out).lines().filter(l -> l.endsWith("}")).map(l -> {
            try {
                return json.readTree(l).get("type").asText();
            } catch (Exception e) {
                return "unparsable: " + l;
            }
        }).toList();
    }
}
