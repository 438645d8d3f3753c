package dev.jrun.spec.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** jrun's JSON Schema for the spec, shipped inside the jar. */
public final class JsonSchemaResource {
    public static final String PATH = "/dev/jrun/spec/jrun-spec.schema.json";

    private JsonSchemaResource() {}

    public static String text() {
        try (InputStream in = JsonSchemaResource.class.getResourceAsStream(PATH)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks " + PATH + "; rebuild jrun");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + PATH + " from the jar", e);
        }
    }
}
