package dev.jrun.spec.schema;

import static dev.jrun.spec.validation.SpecText.errors;
import static dev.jrun.spec.validation.SpecText.render;
import static dev.jrun.spec.validation.SpecText.validateJson;
import static dev.jrun.spec.validation.SpecText.validateYaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.spec.problem.Position;
import dev.jrun.spec.problem.Problem;
import dev.jrun.spec.validation.ValidationReport;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A NUL character anywhere in a spec, value or key, known field or not, is refused with its pointer. */
class NulCharacterRuleTest {
    private static final char NUL = '\0';

    @TempDir
    Path bundle;

    /** JSON text with a JSON NUL escape (backslash, u0000) wherever the template has '@'. */
    private ValidationReport json(String template) {
        return validateJson(bundle, template.replace("@", "\\" + "u0000"));
    }

    @Test
    void everyStringOfTheDocumentIsCheckedWhereverItIs() {
        ValidationReport report = json("""
                {"ociVersion": "1.2.0", "root": {"path": "rootfs"}, "hostname": "web@",
                 "process": {"cwd": "/", "args": ["/bin/sh@x"], "env": ["A=1@B=2"], "user": {"uid": 0, "gid": 0}},
                 "mounts": [{"destination": "/data@", "type": "tmpfs", "options": ["mode=755@"]}],
                 "annotations": {"org.example": "a@b"},
                 "linux": {"namespaces": [{"type": "uts"}], "sysctl": {"net.core.somaxconn": "1@"}},
                 "jrun": {"veth": {"hostNetns": "/run/netns/x@"}},
                 "windows": {"ignored": "but@refused"}}
                """);
        assertEquals(List.of("nul /hostname", "nul /process/args/0", "nul /process/env/0", "nul /mounts/0/destination",
                "nul /mounts/0/options/0", "nul /annotations/org.example", "nul /linux/sysctl/net.core.somaxconn",
                "nul /jrun/veth/hostNetns", "nul /windows/ignored"), errors(report), () -> render(report));
    }

    @Test
    void aKeyWithANulIsReportedAtTheKey() {
        ValidationReport report = json("""
                {"ociVersion": "1.2.0", "root": {"path": "rootfs"},
                 "annotations": {"org.example.k@ey": "v"}}
                """);
        assertEquals(List.of("nul /annotations/org.example.k" + NUL + "ey"), errors(report), () -> render(report));
        Problem problem = report.errors().getFirst();
        assertEquals(new Position(2, 18), problem.position());
        assertEquals("\"org.example.k\\u0000ey\"", problem.found());
        assertTrue(problem.message().contains("offset 13"), problem.message());
    }

    @Test
    void aProblemIsNeverPrintedWithARawNul() {
        ValidationReport report = json("""
                {"ociVersion": "1.2.0", "root": {"path": "rootfs"}, "annotations": {"k@": "v@"}}
                """);
        assertEquals(2, report.errors().size(), () -> render(report));
        report.errors().forEach(problem -> assertFalse(problem.render().indexOf(NUL) >= 0, problem.render()));
        assertTrue(render(report).contains("/annotations/k\\u0000"), render(report));
    }

    @Test
    void yamlEscapesAreCaughtToo() {
        ValidationReport report = validateYaml(bundle, """
                ociVersion: 1.2.0
                root: {path: rootfs}
                process:
                  cwd: /
                  args: ["/bin/sh\\0x", "-c"]
                  env: ["A=\\x00"]
                  user: {uid: 0, gid: 0}
                annotations: {"k\\0": v}
                """);
        assertEquals(List.of("nul /process/args/0", "nul /process/env/0", "nul /annotations/k" + NUL), errors(report), () -> render(report));
        assertEquals(new Position(5, 10), report.errors().getFirst().position());
    }

    @Test
    void otherControlCharactersAreNotThisRulesConcern() {
        ValidationReport report = validateYaml(bundle, """
                ociVersion: 1.2.0
                root: {path: rootfs}
                process: {cwd: /, args: [sh], env: ["MOTD=a\\tb\\nc"], user: {uid: 0, gid: 0}}
                """);
        assertTrue(report.isValid(), () -> render(report));
    }
}
