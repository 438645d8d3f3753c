package dev.jrun.spec.check;

import static dev.jrun.spec.validation.SpecText.errors;
import static dev.jrun.spec.validation.SpecText.render;
import static dev.jrun.spec.validation.SpecText.validateYaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.spec.problem.Problem;
import dev.jrun.spec.validation.ValidationReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The container's root is never the host's root, however root.path spells it; pivot_root(2) would fail late with EBUSY. */
class RootPathCheckTest {
    @TempDir
    Path bundle;

    private ValidationReport withRoot(String path) {
        return validateYaml(bundle, """
                ociVersion: 1.2.0
                root: {path: '%s'}
                process: {cwd: /, args: [sh], user: {uid: 0, gid: 0}}
                """.formatted(path));
    }

    @Test
    void slashIsRefusedSayingWhatToDo() {
        ValidationReport report = withRoot("/");
        assertEquals(List.of("check.root-path /root/path"), errors(report), () -> render(report));
        Problem problem = report.errors().getFirst();
        assertTrue(problem.message().contains("host's own root"), problem.message());
        assertTrue(problem.expected().contains("bind-mount"), problem.expected());
        assertEquals("\"/\"", problem.found());
    }

    @Test
    void climbingToSlashIsRefused() {
        String up = "../".repeat(bundle.getNameCount() + 2);
        ValidationReport report = withRoot(up);
        assertEquals(List.of("check.root-path /root/path"), errors(report), () -> render(report));
    }

    @Test
    void aSymlinkToSlashIsRefused() throws IOException {
        Files.createSymbolicLink(bundle.resolve("hostroot"), Path.of("/"));
        ValidationReport report = withRoot("hostroot");
        assertEquals(List.of("check.root-path /root/path"), errors(report), () -> render(report));
    }

    @Test
    void aSymlinkToARealRootfsIsFine() throws IOException {
        Path elsewhere = Files.createDirectories(bundle.resolve("images/alpine"));
        Files.createSymbolicLink(bundle.resolve("current"), elsewhere);
        ValidationReport report = withRoot("current");
        assertTrue(report.isValid(), () -> render(report));
    }
}
