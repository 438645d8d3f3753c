package dev.jrun.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.error.JrunException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class StateRootTest {

    @Test
    void rootKeepsRunJrunAndAnyoneElseUsesTheirRuntimeDirectory() throws Exception {
        assertEquals(Path.of("/run/jrun"), StateRoot.choose(null, 0, "/run/user/0"));
        assertEquals(Path.of("/run/user/1001/jrun"), StateRoot.choose(null, 1001, "/run/user/1001"));
    }

    @Test
    void anExplicitRootWinsForEveryone() throws Exception {
        assertEquals(Path.of("/srv/state"), StateRoot.choose(Path.of("/srv/state"), 1001, null));
    }

    @Test
    void aUserWithoutARuntimeDirectoryIsToldWhatToSet() {
        JrunException e = assertThrows(JrunException.InvalidInput.class, () -> StateRoot.choose(null, 1001, null));
        assertTrue(e.getMessage().contains("XDG_RUNTIME_DIR is not set") && e.getMessage().contains("--root"), e.getMessage());
        assertThrows(JrunException.InvalidInput.class, () -> StateRoot.choose(null, 1001, ""));
        JrunException relative = assertThrows(JrunException.InvalidInput.class, () -> StateRoot.choose(null, 1001, "run/user"));
        assertTrue(relative.getMessage().contains("not an absolute path"), relative.getMessage());
    }
}
