package dev.jrun.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.error.JrunException;
import dev.jrun.spec.model.Resources;
import java.util.List;
import org.junit.jupiter.api.Test;

/** update's request: the --resources document, the flags over it, and where each setting came from. */
class ResourceRequestTest {
    private static ResourceRequest.Flags flags(Long memory, Long swap, Integer pids, Long shares, String cpus) {
        return new ResourceRequest.Flags(null, null, null, null, shares, null, null, cpus, null, null, memory, null, swap, pids);
    }

    @Test
    void flagsOverrideTheFilesSettingsAndTheRestOfTheFileStays() throws Exception {
        Resources file = ResourceRequest.parse("""
                {"memory": {"limit": 1000, "swap": 2000, "reservation": 500}, "cpu": {"shares": 300, "cpus": "0"},
                 "pids": {"limit": 30}, "unknownKey": true}""", "r.json");
        ResourceRequest request = ResourceRequest.of(file, "r.json", flags(4096L, null, 40, null, "1"));

        Resources r = request.resources();
        assertEquals(4096L, r.memory().limit());
        assertEquals(2000L, r.memory().swap());
        assertEquals(500L, r.memory().reservation());
        assertEquals(300L, r.cpu().shares());
        assertEquals("1", r.cpu().cpus());
        assertEquals(40L, r.pids().limit());
        assertEquals("--memory", request.sourceOf("/linux/resources/memory/limit", "r.json"));
        assertEquals("r.json: /memory/swap", request.sourceOf("/linux/resources/memory/swap", "r.json"));
        assertEquals("--pids-limit", request.sourceOf("/linux/resources/pids/limit", "r.json"));
    }

    @Test
    void devicesAreDroppedWithAWarning() throws Exception {
        Resources file = ResourceRequest.parse("{\"devices\": [{\"allow\": false, \"access\": \"rwm\"}]}", "-");
        ResourceRequest request = ResourceRequest.of(file, "standard input", ResourceRequest.Flags.none());
        assertEquals(List.of(), request.resources().devices());
        assertTrue(request.warnings().getFirst().startsWith("standard input: /devices: not applied"), request.warnings().toString());
    }

    @Test
    void zeroPidsLimitAndBlkioWeightLeaveTheSettingAsRuncDoes() throws Exception {
        Resources file = ResourceRequest.parse("{\"pids\": {\"limit\": 0}}", "r.json");
        ResourceRequest request = ResourceRequest.of(file, "r.json",
                new ResourceRequest.Flags(0, null, null, null, null, null, null, null, null, null, null, null, null, 0));
        assertNull(request.resources().pids());
        assertNull(request.resources().blockIO());
        assertEquals(-1L, ResourceRequest.of(null, "", flags(null, null, -1, null, null)).resources().pids().limit());
    }

    @Test
    void anUnlimitedMemoryLimitWithoutSwapLiftsTheSwapLimitToo() {
        ResourceRequest request = ResourceRequest.of(null, "", flags(-1L, null, null, null, null));
        assertEquals(-1L, request.resources().memory().swap());
        assertTrue(request.sourceOf("/linux/resources/memory/swap", "").startsWith("--memory"));
        assertEquals(512L, ResourceRequest.of(null, "", flags(-1L, 512L, null, null, null)).resources().memory().swap());
    }

    @Test
    void malformedJsonIsRefusedWithLineAndColumn() {
        var e = assertThrows(JrunException.InvalidInput.class, () -> ResourceRequest.parse("{\"pids\": {\"limit\": 5},\n \"cpu\": {,}}", "r.json"));
        assertTrue(e.getMessage().startsWith("r.json:2:10: malformed JSON: "), e.getMessage());
        assertTrue(assertThrows(JrunException.InvalidInput.class, () -> ResourceRequest.parse("{\"pids\": {}} x", "r.json"))
                .getMessage().contains("malformed JSON"));
        assertTrue(assertThrows(JrunException.InvalidInput.class, () -> ResourceRequest.parse(" \n", "r.json"))
                .getMessage().contains("r.json is empty"));
    }

    @Test
    void aValueOfTheWrongTypeIsRefusedWithItsPointer() {
        var e = assertThrows(JrunException.InvalidInput.class,
                () -> ResourceRequest.parse("{\"memory\": {\"limit\": \"512m\"}}", "r.json"));
        assertTrue(e.getMessage().startsWith("r.json:1:22: /memory/limit: expected an integer"), e.getMessage());
        var list = assertThrows(JrunException.InvalidInput.class,
                () -> ResourceRequest.parse("{\"hugepageLimits\": {}}", "r.json"));
        assertTrue(list.getMessage().contains("/hugepageLimits: expected an array"), list.getMessage());
    }
}
