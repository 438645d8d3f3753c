package dev.jrun.spec;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository checkout the tests run in (Maven passes -Djrun.repo; IDEs run from the module directory). */
public final class Repo {
    private Repo() {}

    public static Path root() {
        String configured = System.getProperty("jrun.repo");
        Path start = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
        for (Path at = start.toAbsolutePath().normalize(); at != null; at = at.getParent()) {
            if (Files.isDirectory(at.resolve("specs")) && Files.isRegularFile(at.resolve("pom.xml"))) {
                return at;
            }
        }
        throw new IllegalStateException("cannot find the repository root above " + start);
    }

    public static Path specs() {
        return root().resolve("specs");
    }
}
