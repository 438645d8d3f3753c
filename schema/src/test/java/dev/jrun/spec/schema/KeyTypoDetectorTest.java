package dev.jrun.spec.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class KeyTypoDetectorTest {
    @Test
    void editDistanceCountsSwapsAsOneEdit() {
        assertEquals(0, KeyTypoDetector.editDistance("hostname", "hostname"));
        assertEquals(1, KeyTypoDetector.editDistance("hostnme", "hostname"));
        assertEquals(1, KeyTypoDetector.editDistance("hsotname", "hostname"));
        assertEquals(2, KeyTypoDetector.editDistance("hstnme", "hostname"));
        assertEquals(3, KeyTypoDetector.editDistance("abc", ""));
    }
}
