package dev.jrun.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jrun.error.JrunException;
import dev.jrun.state.StateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The spec a container was created from, kept as JSON in its state directory ({@link StateStore#SPEC_COPY}).
 * `exec` builds its process on this copy (as runc does with the config it keeps), not on the bundle's file,
 * which may have been edited or removed since.
 */
final class ContainerSpec {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ContainerSpec() {}

    static void save(Path stateDirectory, JsonNode document) throws JrunException {
        Path file = stateDirectory.resolve(StateStore.SPEC_COPY);
        try {
            Files.write(file, JSON.writeValueAsBytes(document));
        } catch (IOException e) {
            throw new JrunException.SystemFailure("cannot keep a copy of the spec in " + file + ": " + e.getMessage(), e);
        }
    }

    static JsonNode load(Path stateDirectory, String id) throws JrunException {
        Path file = stateDirectory.resolve(StateStore.SPEC_COPY);
        try {
            return JSON.readTree(file.toFile());
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new JrunException.SystemFailure("container \"" + id + "\" has no copy of its spec (" + file + "): it was created by"
                    + " a jrun without exec; delete it and create it again", e);
        } catch (IOException e) {
            throw new JrunException.SystemFailure("cannot read the spec copy of container \"" + id + "\" at " + file + ": "
                    + e.getMessage(), e);
        }
    }
}
