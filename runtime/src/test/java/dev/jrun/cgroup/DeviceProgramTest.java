package dev.jrun.cgroup;

import static dev.jrun.cgroup.DeviceRules.ALL;
import static dev.jrun.cgroup.DeviceRules.ANY;
import static dev.jrun.cgroup.DeviceRules.MKNOD;
import static dev.jrun.cgroup.DeviceRules.READ;
import static dev.jrun.cgroup.DeviceRules.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.error.JrunException;
import dev.jrun.spec.model.Linux;
import dev.jrun.spec.model.Resources;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The v2 device program: its bytes for a tiny list, and its verdicts, run by {@link BpfInterpreter}, against what v1's
 * kernel decides for the same rules ({@link DeviceList#permits}, and by hand for the cases engines send).
 */
class DeviceProgramTest {
    private static final int RW = READ | WRITE;

    private static Resources.DeviceRule allow(String type, Long major, Long minor, String access) {
        return new Resources.DeviceRule(true, type, major, minor, access);
    }

    private static Resources.DeviceRule deny(String type, Long major, Long minor, String access) {
        return new Resources.DeviceRule(false, type, major, minor, access);
    }

    /** The program create attaches for these spec rules (and the always-allowed ones after them). */
    private static DeviceProgram program(Resources.DeviceRule... rules) throws JrunException.InvalidSpec {
        return ResourceWrites.forV2(new Resources(List.of(rules), null, null, null, List.of(), null, null, Map.of(), Map.of()),
                List.of(new Linux.Device("c", "/dev/fuse", 10L, 229L, null, null, null))).devices().orElseThrow();
    }

    private static boolean allows(DeviceProgram program, char type, long major, long minor, int access) {
        long verdict = BpfInterpreter.run(program.instructions(), type == 'b' ? DeviceProgram.BLOCK : DeviceProgram.CHAR,
                access, major, minor);
        assertTrue(verdict == 0 || verdict == 1, "a device program returns 0 or 1, not " + verdict);
        return verdict == 1;
    }

    private static DeviceRules.Rule rule(boolean allow, char type, long major, long minor, int access) {
        return new DeviceRules.Rule(allow, type, major, minor, access, "test");
    }

    @Test
    void aDenyAllThenOneAllowIsTheseInstructions() {
        DeviceProgram program = DeviceProgram.of(DeviceList.of(List.of(rule(false, 'a', ANY, ANY, ALL), rule(true, 'c', 1, 3, RW))));

        String expected = String.join("",
                "6112000000000000", // r2 = *(u32 *)(r1 + 0): access_type
                "bc23000000000000", // w3 = w2
                "54020000ffff0000", // w2 &= 0xffff: the device type
                "7403000010000000", // w3 >>= 16: the access
                "6114040000000000", // r4 = *(u32 *)(r1 + 4): major
                "6115080000000000", // r5 = *(u32 *)(r1 + 8): minor
                "5602050002000000", // if w2 != CHAR goto +5
                "5604040001000000", // if w4 != 1 goto +4
                "5605030003000000", // if w5 != 3 goto +3
                "46030200f9ffffff", // if w3 & ~rw goto +2: a bit outside rw
                "b400000001000000", // w0 = 1
                "9500000000000000", // exit
                "b400000000000000", // w0 = 0: the default
                "9500000000000000"); // exit
        assertEquals(expected, HexFormat.of().formatHex(program.instructions()));
        assertEquals(14, program.length());
    }

    @Test
    void podmansDefaultRulesAllowTheDefaultNodesAndDenyTheRest() throws Exception {
        DeviceProgram program = program(deny(null, null, null, "rwm"),
                allow("c", null, null, "m"), allow("b", null, null, "m"), allow("c", 1L, 3L, "rwm"), allow("c", 1L, 8L, "rwm"),
                allow("c", 1L, 7L, "rwm"), allow("c", 5L, 0L, "rwm"), allow("c", 1L, 5L, "rwm"), allow("c", 1L, 9L, "rwm"),
                allow("c", 5L, 1L, "rwm"), allow("c", 136L, null, "rwm"), allow("c", 5L, 2L, "rwm"), allow("c", 10L, 200L, "rwm"));

        assertTrue(allows(program, 'c', 1, 3, RW), "/dev/null");
        assertTrue(allows(program, 'c', 136, 7, READ), "/dev/pts/7");
        assertTrue(allows(program, 'c', 10, 200, RW), "/dev/net/tun");
        assertTrue(allows(program, 'c', 10, 229, RW), "/dev/fuse, a node of linux.devices");
        assertTrue(allows(program, 'b', 8, 0, MKNOD), "mknod of any node");
        assertTrue(!allows(program, 'b', 8, 0, READ), "/dev/sda");
        assertTrue(!allows(program, 'c', 1, 1, READ), "/dev/mem");
        assertTrue(!allows(program, 'c', 4, 1, WRITE), "/dev/tty1");
        assertTrue(!allows(program, 'c', 1, 3, 0x8), "an access bit no rule has");
    }

    @Test
    void denyRulesAfterAnAllowAllDenyAnyAccessTheyShare() throws Exception {
        DeviceProgram program = program(allow("a", null, null, "rwm"), deny("b", 8L, null, "w"), deny("c", 10L, 230L, "rwm"));

        assertTrue(allows(program, 'b', 8, 0, READ));
        assertTrue(!allows(program, 'b', 8, 16, WRITE));
        assertTrue(!allows(program, 'b', 8, 0, RW), "v1 denies an access that overlaps a deny exception");
        assertTrue(allows(program, 'b', 9, 0, RW));
        assertTrue(!allows(program, 'c', 10, 230, MKNOD));
        assertTrue(allows(program, 'c', 10, 231, RW));
        assertTrue(allows(program, 'c', 4, 1, RW), "everything else");
    }

    @Test
    void wildcardsMatchAnyNumberAndAllowsNeedEveryBitAskedFor() throws Exception {
        DeviceProgram program = program(deny(null, null, null, "rwm"), allow("c", 4L, null, "r"), allow("b", null, 0L, "rw"));

        assertTrue(allows(program, 'c', 4, 7, READ));
        assertTrue(!allows(program, 'c', 4, 7, RW), "w is not in r");
        assertTrue(!allows(program, 'b', 4, 7, READ), "another type");
        assertTrue(allows(program, 'b', 9, 0, RW));
        assertTrue(allows(program, 'b', 3_000_000_000L, 0, READ), "a major above 2^31 compares as u32");
        assertTrue(!allows(program, 'b', 9, 1, READ));
    }

    @Test
    void typeAResetsTheListAndPartialRulesMergeAsV1Does() throws Exception {
        DeviceProgram reset = program(allow("c", 10L, 230L, "rwm"), deny("a", null, null, "rwm"));
        assertTrue(!allows(reset, 'c', 10, 230, READ), "the allow before the deny-all is gone");
        assertTrue(allows(reset, 'c', 1, 3, READ), "the always-allowed come after");

        DeviceProgram allowAll = program(deny(null, null, null, "rwm"), allow("a", null, null, "rwm"));
        assertTrue(allows(allowAll, 'b', 8, 0, RW));

        DeviceProgram merged = program(deny(null, null, null, "rwm"), allow("c", 10L, 230L, "r"), allow("c", 10L, 230L, "w"));
        assertTrue(allows(merged, 'c', 10, 230, RW), "two allows of one device add up");

        DeviceProgram taken = program(deny(null, null, null, "rwm"), allow("c", 10L, 230L, "rw"), deny("c", 10L, 230L, "w"));
        assertTrue(allows(taken, 'c', 10, 230, READ));
        assertTrue(!allows(taken, 'c', 10, 230, RW), "the deny took w away");
    }

    @Test
    void aDenyPunchesNoHoleInAWiderAllowAsOnV1() throws Exception {
        DeviceProgram program = program(deny(null, null, null, "rwm"), allow("c", null, null, "rwm"), deny("c", 10L, 230L, "rwm"));

        assertTrue(allows(program, 'c', 10, 230, READ), "v1 removes only an exception of the same key");
        assertTrue(!allows(program, 'b', 8, 0, READ));
    }

    @Test
    void noRulesAttachNoProgram() throws Exception {
        assertTrue(ResourceWrites.forV2(new Resources(List.of(), null, null, null, List.of(), null, null, Map.of(), Map.of()))
                .devices().isEmpty());
        assertTrue(ResourceWrites.forV2(null).devices().isEmpty());
    }

    @Test
    void theProgramAgreesWithV1sKernelOnRandomRuleLists() {
        Random random = new Random(20240601);
        long[] majors = {ANY, 1, 8, 10, 3_000_000_000L};
        long[] minors = {ANY, 0, 3, 229};
        for (int list = 0; list < 300; list++) {
            List<DeviceRules.Rule> rules = new ArrayList<>();
            for (int i = random.nextInt(10); i >= 0; i--) {
                char type = "abcc".charAt(random.nextInt(4));
                rules.add(type == 'a' ? rule(random.nextBoolean(), 'a', ANY, ANY, ALL) : rule(random.nextBoolean(), type,
                        majors[random.nextInt(majors.length)], minors[random.nextInt(minors.length)], 1 + random.nextInt(7)));
            }
            DeviceList kernel = DeviceList.of(rules);
            DeviceProgram program = DeviceProgram.of(kernel);
            for (char type : new char[] {'b', 'c'}) {
                for (long major : new long[] {1, 8, 10, 11, 3_000_000_000L}) {
                    for (long minor : new long[] {0, 3, 4, 229}) {
                        for (int access = 1; access <= ALL; access++) {
                            assertEquals(kernel.permits(type, major, minor, access), allows(program, type, major, minor, access),
                                    rules + ": " + type + " " + major + ":" + minor + " access " + access);
                        }
                    }
                }
            }
        }
    }

    @Test
    void tooManyExceptionsForOneProgramAreRefused() {
        List<Resources.DeviceRule> rules = new ArrayList<>(List.of(deny(null, null, null, "rwm")));
        for (long minor = 0; minor < 700; minor++) {
            rules.add(allow("c", 240L, minor, "r"));
        }
        JrunException.InvalidSpec e = assertThrows(JrunException.InvalidSpec.class, () -> program(rules.toArray(Resources.DeviceRule[]::new)));
        assertTrue(e.getMessage().contains("/linux/resources/devices: the rules leave 712 exceptions"), e.getMessage());
    }
}
