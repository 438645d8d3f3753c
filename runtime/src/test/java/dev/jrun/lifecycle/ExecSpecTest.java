package dev.jrun.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jrun.error.JrunException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** runc's changes to the container's process for `exec ID CMD ARGS…`. */
class ExecSpecTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode base() throws Exception {
        return JSON.readTree("""
                {"args": ["init"], "cwd": "/", "env": ["PATH=/bin", "A=1"], "terminal": true, "consoleSize": {"height": 1, "width": 1},
                 "user": {"uid": 10, "gid": 20, "additionalGids": [30]},
                 "capabilities": {"bounding": ["CAP_KILL"], "effective": ["CAP_KILL"], "permitted": ["CAP_KILL"]}}
                """);
    }

    private static ExecProcess.FromCommandLine changes(List<String> env, String cwd, String user, List<Long> gids, List<String> caps) {
        return new ExecProcess.FromCommandLine(List.of("sh", "-c", "x"), env, cwd, user, gids, caps, true, false, null, null);
    }

    @Test
    void argsReplaceEnvIsAppendedByNameUserAndGroupsChange() throws Exception {
        JsonNode process = ExecSpec.merge(base(), changes(List.of("A=2", "B=3"), "/tmp", "7:8", List.of(9L), List.of("net_admin", "CAP_KILL")));
        assertEquals(JSON.readTree("[\"sh\", \"-c\", \"x\"]"), process.get("args"));
        assertEquals(JSON.readTree("[\"PATH=/bin\", \"A=2\", \"B=3\"]"), process.get("env"));
        assertEquals("/tmp", process.get("cwd").asText());
        assertEquals(7, process.at("/user/uid").asLong());
        assertEquals(8, process.at("/user/gid").asLong());
        assertEquals("[30,9]", process.at("/user/additionalGids").toString());
        for (String set : List.of("bounding", "effective", "permitted")) {
            assertEquals(JSON.readTree("[\"CAP_KILL\", \"CAP_NET_ADMIN\"]"), process.at("/capabilities/" + set), set);
        }
        assertEquals(true, process.get("noNewPrivileges").asBoolean());
        assertEquals(false, process.get("terminal").asBoolean(), "a terminal only with --tty");
        assertEquals(null, process.get("consoleSize"));
    }

    @Test
    void aUidAloneKeepsTheSpecsGid() throws Exception {
        JsonNode process = ExecSpec.merge(base(), changes(List.of(), null, "7", List.of(), List.of()));
        assertEquals(7, process.at("/user/uid").asLong());
        assertEquals(20, process.at("/user/gid").asLong());
        assertEquals("/", process.get("cwd").asText());
    }

    @Test
    void aUserThatIsNotNumbersIsRefused() {
        assertThrows(JrunException.InvalidInput.class, () -> ExecSpec.merge(base(), changes(List.of(), null, "root", List.of(), List.of())));
        assertThrows(JrunException.InvalidInput.class, () -> ExecSpec.merge(base(), changes(List.of(), null, "1:-2", List.of(), List.of())));
    }
}
