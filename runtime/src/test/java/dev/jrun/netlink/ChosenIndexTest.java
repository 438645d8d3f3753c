package dev.jrun.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The indexes jrun asks the kernel for: the range, the mapping of random bits, the draw. */
class ChosenIndexTest {

    @Test
    void theRangeIsFarAboveTheKernelsCounterAndBelowItsEnd() {
        assertEquals(16_777_216, ChosenIndex.FIRST);
        assertEquals(1_073_741_824, ChosenIndex.END);
        assertTrue(ChosenIndex.isChosen(ChosenIndex.FIRST));
        assertTrue(ChosenIndex.isChosen(ChosenIndex.END - 1));
        assertFalse(ChosenIndex.isChosen(ChosenIndex.FIRST - 1));
        assertFalse(ChosenIndex.isChosen(ChosenIndex.END));
        assertFalse(ChosenIndex.isChosen(1));
    }

    @Test
    void everyRandomValueMapsIntoTheRange() {
        long size = ChosenIndex.END - ChosenIndex.FIRST;
        assertEquals(ChosenIndex.FIRST, ChosenIndex.of(0));
        assertEquals(ChosenIndex.FIRST, ChosenIndex.of(size));
        assertEquals(ChosenIndex.END - 1, ChosenIndex.of(-1));
        assertEquals(ChosenIndex.END - 1, ChosenIndex.of(size - 1));
        for (long bits : new long[] {Long.MIN_VALUE, Long.MAX_VALUE, 0x8000_0000L, 0xffff_ffffL, -size}) {
            assertTrue(ChosenIndex.isChosen(ChosenIndex.of(bits)), Long.toHexString(bits));
        }
    }

    @Test
    void drawsAreInTheRangeAndDiffer() throws Exception {
        Set<Integer> drawn = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            int index = ChosenIndex.pick();
            assertTrue(ChosenIndex.isChosen(index), Integer.toString(index));
            drawn.add(index);
        }
        // 100 draws from about 10^9 values: a repeat has odds of about 1 in 200,000.
        assertTrue(drawn.size() >= 99, drawn.size() + " distinct of 100");
    }

    @Test
    void aNegativeHostIndexIsRefused() {
        var pair = VethPair.of("a", "b");
        assertThrows(IllegalArgumentException.class, () -> pair.withHostIndex(-1));
        assertEquals(0, pair.hostIndex(), "by default the kernel numbers the host end");
    }
}
