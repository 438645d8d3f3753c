package dev.jrun.spec.validation;

import static dev.jrun.spec.validation.SpecText.errors;
import static dev.jrun.spec.validation.SpecText.render;
import static dev.jrun.spec.validation.SpecText.validateYaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.spec.problem.Problem;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * uids and gids the process or a device node gets stop at 2^31-1, as in runc: 4294967295 is (uid_t)-1,
 * which setresuid(2) and chown(2) read as "unchanged", so it used to run the process as root. Mapping
 * ranges may use the whole space the kernel accepts, up to id 4294967294.
 */
class IdRangeTest {
    @TempDir
    Path bundle;

    private ValidationReport withIds(long uid, long gid, long extraGid, long deviceUid, long deviceGid) {
        return validateYaml(bundle, """
                ociVersion: 1.2.0
                root: {path: rootfs}
                process:
                  cwd: /
                  args: [sh]
                  user: {uid: %d, gid: %d, additionalGids: [%d]}
                linux:
                  namespaces: [{type: mount}]
                  devices: [{path: /dev/fuse, type: c, major: 10, minor: 229, uid: %d, gid: %d}]
                """.formatted(uid, gid, extraGid, deviceUid, deviceGid));
    }

    @Test
    void idsUpTo2147483647AreAccepted() {
        ValidationReport report = withIds(2147483647L, 2147483647L, 2147483647L, 2147483647L, 2147483647L);
        assertTrue(report.isValid(), () -> render(report));
    }

    @ParameterizedTest
    @ValueSource(longs = {2147483648L, 4294967295L})
    void everyIdFieldRefusesIdsAbove2147483647(long id) {
        ValidationReport report = withIds(id, id, id, id, id);
        assertEquals(List.of(
                "schema.maximum /process/user/uid",
                "schema.maximum /process/user/gid",
                "schema.maximum /process/user/additionalGids/0",
                "schema.maximum /linux/devices/0/uid",
                "schema.maximum /linux/devices/0/gid"), errors(report), () -> render(report));
    }

    @Test
    void theProblemSaysWhyAndWhatIsAllowed() {
        Problem problem = withIds(4294967295L, 0, 0, 0, 0).errors().getFirst();
        assertEquals("/process/user/uid", problem.pointer());
        assertEquals("an integer from 0 to 2147483647", problem.expected());
        assertEquals("4294967295", problem.found());
        assertTrue(problem.message().contains("(uid_t)-1"), problem.message());
        assertEquals(6, problem.position().line());
    }

    private ValidationReport withMapping(String uidMapping, String gidMapping) {
        return validateYaml(bundle, """
                ociVersion: 1.2.0
                root: {path: rootfs}
                process:
                  cwd: /
                  args: [sh]
                  user: {uid: 0, gid: 0}
                linux:
                  namespaces: [{type: user}, {type: mount}]
                  uidMappings: [%s]
                  gidMappings: [%s]
                """.formatted(uidMapping, gidMapping));
    }

    @Test
    void aMappingMayEndAtId4294967294() {
        // The identity map of the initial user namespace: 0 0 4294967295.
        ValidationReport report = withMapping("{containerID: 0, hostID: 0, size: 4294967295}",
                "{containerID: 0, hostID: 2147483648, size: 2147483647}");
        assertTrue(report.isValid(), () -> render(report));
    }

    @Test
    void aMappingThatReachesId4294967295IsRefusedOnEitherSide() {
        ValidationReport report = withMapping("{containerID: 1, hostID: 0, size: 4294967295}",
                "{containerID: 0, hostID: 4294967295, size: 1}");
        assertEquals(List.of("check.id-mappings /linux/uidMappings/0/size", "check.id-mappings /linux/gidMappings/0/size"),
                errors(report).stream().filter(e -> e.endsWith("/size")).toList(), () -> render(report));
        Problem container = report.errors().stream().filter(p -> p.pointer().equals("/linux/uidMappings/0/size")).findFirst().orElseThrow();
        assertEquals("containerID + size - 1 ≤ 4294967294", container.expected());
        assertEquals("containerID + size - 1 = 4294967295", container.found());
    }

    @Test
    void idmappedMountsFollowTheSameRule() {
        ValidationReport report = validateYaml(bundle, """
                ociVersion: 1.2.0
                root: {path: rootfs}
                mounts:
                  - destination: /data
                    source: rootfs
                    options: [rbind]
                    uidMappings: [{containerID: 4294967295, hostID: 0, size: 1}]
                    gidMappings: [{containerID: 0, hostID: 0, size: 4294967295}]
                """);
        assertEquals(List.of("check.id-mappings /mounts/0/uidMappings/0/size"), errors(report), () -> render(report));
    }
}
