package dev.jrun.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The build this jar belongs to: Maven's {@code jrun.build.id} (the build's timestamp), filtered into the
 * resource dev/jrun/server/build-id and compiled into the native client of the same build. A client of another
 * build gets STALE, so a rebuilt jrun never talks to an older server.
 */
public final class BuildId {
    private BuildId() {}

    public static String ofThisJar() {
        try (InputStream in = BuildId.class.getResourceAsStream("build-id")) {
            if (in == null) {
                return "unknown";
            }
            String id = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            // an unfiltered resource (classes not built by Maven) names no build
            return id.isEmpty() || id.contains("${") ? "unknown" : id;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
