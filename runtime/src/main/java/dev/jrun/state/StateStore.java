package dev.jrun.state;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.jrun.error.JrunException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The state root (default /run/jrun): one directory per container holding state.json, a lock
 * file and the init's start socket. Creating the directory reserves the id atomically; every
 * operation on an id holds its lock; state.json is replaced by rename, never rewritten in place.
 */
public final class StateStore {
    static final String STATE_FILE = "state.json";
    static final String LOCK_FILE = "lock";
    public static final String START_SOCKET = "start.sock";
    public static final String INIT_SOCKET = "init.sock";

    private final Path root;
    private final ObjectMapper json = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    public StateStore(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public Path directoryOf(String id) {
        return root.resolve(id);
    }

    /** Reserves a new id: its directory must not exist yet. The returned lock is held until closed. */
    public ContainerLock reserve(String id) throws JrunException {
        requireValid(id);
        Path dir = directoryOf(id);
        try {
            Files.createDirectories(root);
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            throw new JrunException.AlreadyExists(id);
        } catch (IOException e) {
            throw new JrunException.SystemFailure("cannot create the state directory " + dir + ": " + e.getMessage()
                    + " (is --root writable?)", e);
        }
        try {
            return lock(id);
        } catch (JrunException e) {
            removeQuietly(id);
            throw e;
        }
    }

    /** Locks an existing container, waiting for any other operation on it to finish. */
    public ContainerLock lock(String id) throws JrunException {
        requireValid(id);
        Path lockFile = directoryOf(id).resolve(LOCK_FILE);
        try {
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.lock();
            // Another operation may have deleted the container while we waited for its lock.
            if (!Files.exists(lockFile)) {
                lock.release();
                channel.close();
                throw new JrunException.NotFound(id);
            }
            return new ContainerLock(id, channel, lock);
        } catch (NoSuchFileException e) {
            throw new JrunException.NotFound(id);
        } catch (IOException e) {
            throw new JrunException.SystemFailure("cannot lock container \"" + id + "\": " + e.getMessage(), e);
        }
    }

    public ContainerState read(String id) throws JrunException {
        Path file = directoryOf(id).resolve(STATE_FILE);
        try {
            return json.readValue(file.toFile(), ContainerState.class);
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new JrunException.NotFound(id);
        } catch (IOException e) {
            throw new JrunException.SystemFailure("the state of container \"" + id + "\" is unreadable (" + file + "): "
                    + e.getMessage() + "; `jrun delete --force " + id + "` removes it", e);
        }
    }

    /** Writes state.json atomically: a temporary file in the same directory, then rename. */
    public void write(ContainerState state) throws JrunException {
        Path dir = directoryOf(state.id());
        Path temp = dir.resolve(STATE_FILE + ".tmp");
        try {
            Files.write(temp, json.writeValueAsBytes(state));
            try {
                Files.move(temp, dir.resolve(STATE_FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, dir.resolve(STATE_FILE), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new JrunException.SystemFailure("cannot write the state of container \"" + state.id() + "\": " + e.getMessage(), e);
        }
    }

    /** Every container id in the store, sorted. */
    public List<String> ids() throws JrunException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(root)) {
            return entries.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(id -> ContainerIds.problem(id).isEmpty()).sorted().toList();
        } catch (IOException e) {
            throw new JrunException.SystemFailure("cannot list " + root + ": " + e.getMessage(), e);
        }
    }

    /** Removes the container's directory and everything in it (called with its lock held). */
    public void remove(String id) throws JrunException {
        Path dir = directoryOf(id);
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (NoSuchFileException e) {
            // already gone
        } catch (DirectoryNotEmptyException e) {
            throw new JrunException.SystemFailure("cannot remove " + dir + ": something was added while deleting", e);
        } catch (IOException e) {
            throw new JrunException.SystemFailure("cannot remove " + dir + ": " + e.getMessage(), e);
        }
    }

    public void removeQuietly(String id) {
        try {
            remove(id);
        } catch (JrunException ignored) {
            // best effort on a path that is already failing; the original error is what the user needs
        }
    }

    private static void requireValid(String id) throws JrunException {
        var problem = ContainerIds.problem(id);
        if (problem.isPresent()) {
            throw new JrunException.InvalidInput(problem.get());
        }
    }
}
