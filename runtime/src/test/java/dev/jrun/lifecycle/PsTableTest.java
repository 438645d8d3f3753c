package dev.jrun.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.error.JrunException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** ps --format table: ps(1)'s header and the lines of the container's pids, found by the header's PID column. */
class PsTableTest {
    private static final List<String> PS = List.of("ps", "-ef");

    @Test
    void keepsTheHeaderAndTheContainersLinesOnly() throws Exception {
        String output = """
                UID          PID    PPID  C STIME TTY          TIME CMD
                root           1       0  0 10:00 ?        00:00:01 /sbin/init
                root        4711       1  0 10:01 ?        00:00:00 sleep 1000
                root       47110    4711  0 10:01 ?        00:00:00 sleep 47110
                root        4712    4711  0 10:01 ?        00:00:00 sleep 4711
                """;
        assertEquals("""
                UID          PID    PPID  C STIME TTY          TIME CMD
                root        4711       1  0 10:01 ?        00:00:00 sleep 1000
                root        4712    4711  0 10:01 ?        00:00:00 sleep 4711
                """, Ps.onlyPids(output, Set.of(4711L, 4712L), PS));
    }

    @Test
    void thePidColumnIsWhereverTheHeaderPutsIt() throws Exception {
        assertEquals("  PID COMMAND\n   12 sh\n", Ps.onlyPids("  PID COMMAND\n   12 sh\n   13 sh\n", Set.of(12L), List.of("ps", "-o", "pid,comm")));
    }

    @Test
    void withoutAPidColumnOrWithAnUnreadablePidItFails() {
        var none = assertThrows(JrunException.InvalidInput.class, () -> Ps.onlyPids("COMMAND\nsh\n", Set.of(1L), List.of("ps", "-o", "comm")));
        assertTrue(none.getMessage().contains("`ps -o comm` printed no PID column"), none.getMessage());
        var bad = assertThrows(JrunException.InvalidInput.class, () -> Ps.onlyPids("PID CMD\nx sh\n", Set.of(1L), PS));
        assertTrue(bad.getMessage().contains("whose PID column is not a number"), bad.getMessage());
    }
}
