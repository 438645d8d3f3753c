package dev.jrun.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.spec.model.IdMapping;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which way each map is written (user_namespaces(7)), and so whether setgroups is denied; RootlessIT writes them for real. */
class IdMapMethodTest {
    private static final List<IdMapping> OWN = List.of(new IdMapping(0, 1001, 1));
    private static final List<IdMapping> WIDE = List.of(new IdMapping(0, 1001, 1), new IdMapping(1, 100000, 65536));

    @Test
    void rootWritesEveryMapItself() {
        assertEquals(new IdMapMethod.Privileged(), IdMapMethod.choose(IdMapMethod.Kind.UID, WIDE, 0, true));
        assertFalse(IdMapMethod.deniesSetgroups(IdMapMethod.choose(IdMapMethod.Kind.GID, OWN, 0, true)));
    }

    @Test
    void aUserWritesAMapOfItsOwnIdItselfAndTheGidMapDeniesSetgroups() {
        assertEquals(new IdMapMethod.OwnId(), IdMapMethod.choose(IdMapMethod.Kind.UID, OWN, 1001, false));
        assertTrue(IdMapMethod.deniesSetgroups(IdMapMethod.choose(IdMapMethod.Kind.GID, OWN, 1001, false)));
    }

    @Test
    void anythingElseGoesThroughTheSetuidHelper() {
        assertEquals(new IdMapMethod.SetuidHelper("newuidmap"), IdMapMethod.choose(IdMapMethod.Kind.UID, WIDE, 1001, false));
        assertEquals(new IdMapMethod.SetuidHelper("newgidmap"), IdMapMethod.choose(IdMapMethod.Kind.GID, WIDE, 1001, false));
        // One line of another id, or of more than one id, is beyond what the kernel lets a user write.
        assertEquals(new IdMapMethod.SetuidHelper("newuidmap"),
                IdMapMethod.choose(IdMapMethod.Kind.UID, List.of(new IdMapping(0, 1002, 1)), 1001, false));
        assertEquals(new IdMapMethod.SetuidHelper("newuidmap"),
                IdMapMethod.choose(IdMapMethod.Kind.UID, List.of(new IdMapping(0, 1001, 2)), 1001, false));
        assertFalse(IdMapMethod.deniesSetgroups(IdMapMethod.choose(IdMapMethod.Kind.GID, WIDE, 1001, false)));
    }

    @Test
    void mapsAreRenderedOneLinePerRange() {
        assertEquals("0 1001 1\n1 100000 65536\n", IdMaps.render(WIDE));
    }
}
