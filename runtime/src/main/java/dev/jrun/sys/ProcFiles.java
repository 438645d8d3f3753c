package dev.jrun.sys;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads /proc files whole. Files.readString cannot: /proc reports size 0, so the JDK reads in tiny
 * steps, and integer sysctls answer any read past offset 0 with end of file ("1048576" reads as "1").
 */
public final class ProcFiles {
    private static final int CHUNK = 8192;

    private ProcFiles() {}

    public static String read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            var out = new java.io.ByteArrayOutputStream();
            byte[] buffer = new byte[CHUNK];
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
