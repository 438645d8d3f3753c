package dev.jrun.spec.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SysctlKeyTest {
    @Test
    void dotAndSlashFormNameTheSameFile() {
        SysctlKey dot = SysctlKey.parse("kernel.hostname");
        SysctlKey slash = SysctlKey.parse("kernel/hostname");
        assertEquals(dot, slash);
        assertEquals("kernel/hostname", slash.procPath());
        assertTrue(slash.is("kernel.hostname"));
    }

    @Test
    void theFirstSeparatorChoosesTheFormAsInSysctl8() {
        // An interface named eth0.100: its dot is literal in slash form and written as '/' in dot form.
        SysctlKey slash = SysctlKey.parse("net/ipv4/conf/eth0.100/rp_filter");
        assertEquals(List.of("net", "ipv4", "conf", "eth0.100", "rp_filter"), slash.names());
        assertEquals("net.ipv4.conf.eth0/100.rp_filter", slash.dotted());
        assertEquals(slash, SysctlKey.parse("net.ipv4.conf.eth0/100.rp_filter"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "/kernel/hostname", "/proc/sys/net/ipv4/ip_forward", "net..ipv4", "net.ipv4.", "net//ipv4", "net/ipv4/",
            "net/ipv4/../../kernel/panic", "net/./ipv4", "kernel.shm/../x", "net.ipv4.ip_forward ", "net.ipv4.ip\tforward",
            "net.ipv4.ip\u0000forward"})
    void aKeyThatIsNoPlainPathBelowProcSysIsRefused(String key) {
        assertThrows(IllegalArgumentException.class, () -> SysctlKey.parse(key));
    }
}
