package dev.jrun.spec.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MountInfoTest {
    @Test
    void parsesFieldsAroundOptionalOnesAndUnescapes() {
        List<MountInfo> mounts = MountInfo.parse(List.of(
                "36 35 98:0 /mnt1 /mnt\\040with\\040space rw,noatime master:1 shared:7 - ext3 /dev/root rw,errors=continue",
                "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw",
                "garbage line"));
        assertEquals(2, mounts.size());
        MountInfo first = mounts.getFirst();
        assertEquals("/mnt1", first.root());
        assertEquals("/mnt with space", first.mountPoint());
        assertEquals(List.of("rw", "noatime"), first.options());
        assertEquals("ext3", first.fstype());
        assertEquals(List.of("rw", "errors=continue"), first.superOptions());
        assertEquals("cgroup2", mounts.get(1).fstype());
    }

    @Test
    void readsThisProcesssTable() {
        assertTrue(MountInfo.readOwn().stream().anyMatch(m -> m.mountPoint().equals("/")));
    }
}
