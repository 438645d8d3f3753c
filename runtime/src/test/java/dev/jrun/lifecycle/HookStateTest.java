package dev.jrun.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The state JSON hooks read, whole (Java's hooks) and split where the helper puts the pid (the container's hooks). */
class HookStateTest {
    private static final HookState.Identity ID = new HookState.Identity("1.2.0", "web", "/srv/b\"undle", Map.of("k", "v:-9"));

    @Test
    void theStateHasTheSpecsFieldsWithTheStatusOfItsPoint() {
        assertEquals("{\"ociVersion\":\"1.2.0\",\"id\":\"web\",\"status\":\"creating\",\"pid\":42,\"bundle\":\"/srv/b\\\"undle\","
                + "\"annotations\":{\"k\":\"v:-9\"}}", HookState.of(ID, "creating", 42));
    }

    @Test
    void theSplitStateJoinedAroundAPidIsTheWholeOne() {
        var split = HookState.split(ID, "created");
        assertEquals(HookState.of(ID, "created", 1234), split.beforePid() + 1234 + split.afterPid());
    }
}
