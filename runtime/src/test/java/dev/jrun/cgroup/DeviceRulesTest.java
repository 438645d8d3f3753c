package dev.jrun.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.error.JrunException;
import dev.jrun.spec.model.Linux;
import dev.jrun.spec.model.Resources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** linux.resources.devices → devices.allow / devices.deny writes (v1), in the listed order, then what is always allowed. */
class DeviceRulesTest {
    private static Resources rules(Resources.DeviceRule... rules) {
        return new Resources(List.of(rules), null, null, null, List.of(), null, null, Map.of(), Map.of());
    }

    @Test
    void podmansDenyAllThenAllowsBecomeOrderedWritesFollowedByTheDefaults() throws Exception {
        ResourceWrites writes = ResourceWrites.forV1(rules(new Resources.DeviceRule(false, null, null, null, "rwm"),
                        new Resources.DeviceRule(true, "c", 10L, 229L, "rwm"), new Resources.DeviceRule(false, "b", 8L, null, "w")),
                List.of(new Linux.Device("c", "/dev/fuse", 10L, 229L, null, null, null)));

        List<String> expected = new ArrayList<>(List.of("devices.deny=a", "devices.allow=c 10:229 rwm", "devices.deny=b 8:* w"));
        DeviceRules.ALWAYS_ALLOWED.forEach(rule -> expected.add("devices.allow=" + rule.line()));
        expected.add("devices.allow=c 10:229 rwm");
        assertEquals(expected, V2ResourceWritesTest.lines(writes));
        assertEquals(List.of("devices"), List.copyOf(writes.controllers()));
        assertEquals("/linux/resources/devices/1", writes.writes().get(1).source());
        assertEquals("/linux/devices/0", writes.writes().getLast().source());
    }

    @Test
    void noRulesLeaveTheParentsList() throws Exception {
        assertEquals(List.of(), ResourceWrites.forV1(rules(), List.of(new Linux.Device("c", "/dev/fuse", 10L, 229L, null, null, null)))
                .writes());
    }

    @Test
    void malformedRulesAreAllRefusedByPointer() {
        JrunException.InvalidSpec e = assertThrows(JrunException.InvalidSpec.class, () -> ResourceWrites.forV1(rules(
                new Resources.DeviceRule(true, "x", null, null, "rwm"), new Resources.DeviceRule(true, "c", 1L, 3L, "rwx"),
                new Resources.DeviceRule(true, "c", -1L, 3L, "r"), new Resources.DeviceRule(false, "a", null, null, "r"))));
        assertTrue(e.getMessage().contains("/linux/resources/devices/0/type: \"x\" is not a device type"), e.getMessage());
        assertTrue(e.getMessage().contains("/linux/resources/devices/1/access: \"rwx\" is not an access list"), e.getMessage());
        assertTrue(e.getMessage().contains("/linux/resources/devices/2: a device number is negative"), e.getMessage());
        assertTrue(e.getMessage().contains("/linux/resources/devices/3/access: type a stands for every device"), e.getMessage());
    }

    @Test
    void numbersAboveTheKernelsU32AreRefused() {
        JrunException.InvalidSpec e = assertThrows(JrunException.InvalidSpec.class, () -> ResourceWrites.forV2(rules(
                new Resources.DeviceRule(true, "c", 1L << 32, 3L, "rwm"))));
        assertTrue(e.getMessage().contains("/linux/resources/devices/0: a device number is above 4294967295"), e.getMessage());
    }

    @Test
    void v2MakesAProgramAndNoWrites() throws Exception {
        ResourceWrites writes = ResourceWrites.forV2(rules(new Resources.DeviceRule(false, null, null, null, "rwm")));
        assertEquals(List.of(), writes.writes());
        assertEquals(List.of(), writes.warnings());
        assertTrue(writes.devices().isPresent());
        assertTrue(ResourceWrites.forV1(rules(new Resources.DeviceRule(false, null, null, null, "rwm"))).devices().isEmpty());
    }
}
