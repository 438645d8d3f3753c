package dev.jrun.state;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.jrun.error.JrunException;
import dev.jrun.sys.Errno;
import dev.jrun.sys.NativeException;
import dev.jrun.sys.Rename;
import java.io.UncheckedIOException;
import java.nio.file.LinkOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.ThreadLocalRandom;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The state root (default /run/jrun): one directory per container holding state.json, a lock
 * file and the init's start socket. Creating the directory reserves the id atomically; every
 * operation on an id holds its lock; state.json is replaced by rename, never rewritten in place.
 */
public final class StateStore {
    static final String STATE_FILE = "state.json";
    static final String LOCK_FILE = "lock";
    /** The lock file of a staging directory until it is locked (see reserve). */
    private static final String PENDING_LOCK_FILE = "lock~pending";
    public static final String START_SOCKET = "start.sock";
    public static final String INIT_SOCKET = "init.sock";
    /** The spec the container was created from, as JSON: exec takes the defaults of its processes from it. */
    public static final String SPEC_COPY = "config.json";
    /** Directories being built by create (see reserve) and being removed by delete: "~" is in no id, so no id can name them. */
    private static final String STAGING_PREFIX = "~new-";
    private static final String TOMBSTONE_PREFIX = "~gone-";
    /** Longer than any create should take (the helper's own deadlines are shorter), short enough to notice. */
    private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(60);
    /** How old an unlocked staging directory or a tombstone must be before a reservation sweeps it. */
    private static final Duration ABANDONED_AFTER = Duration.ofMinutes(1);

    /** Every StateStore of this JVM shares them: the server's requests each make their own store. */
    private static final InProcessLocks IN_PROCESS = new InProcessLocks();

    private final Path root;
    private final ObjectMapper json = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    public StateStore(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** The id's state directory; the id is checked first, so no id can name a path outside the root. */
    public Path directoryOf(String id) throws JrunException {
        requireValid(id);
        return root.resolve(id);
    }

    /**
     * Reserves a new id with its first state: the directory is built under a private name, locked,
     * given state.json, and only then renamed to the id (never replacing). So an id's directory never
     * exists without its state, and a create killed at any point leaves either a complete container
     * that `delete --force` removes, or a private leftover that the next reservation sweeps away.
     * The returned lock is held until closed.
     */
    public ContainerLock reserve(ContainerState initial) throws JrunException {
        String id = initial.id();
        Path dir = directoryOf(id);
        prepareRoot();
        // Another thread of this JVM (the server) may be working on the id (creating it, deleting it): its
        // outcome decides whether the id is free, so wait for it as for any operation on the id.
        InProcessLocks.Held idKey = inProcessLock(id, dir.resolve(LOCK_FILE));
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            idKey.close();
            throw new JrunException.AlreadyExists(id);
        }
        sweepStaging();
        Path staging = root.resolve(STAGING_PREFIX + randomSuffix());
        // Held before the directory exists, so that no other thread's sweep ever opens (and by closing, unlocks) its lock file.
        InProcessLocks.Held stagingKey = IN_PROCESS.tryAcquire(inProcessKey(staging.getFileName().toString())).orElseThrow();
        ContainerLock lock = null;
        try {
            Files.createDirectory(staging);
            // The lock file gets its name only once it is locked: a sweep (in another process) that finds it can
            // never lock it first and take the directory away between this open and this lock.
            Path pending = staging.resolve(PENDING_LOCK_FILE);
            lock = lockFile(id, pending, List.of(stagingKey, idKey));
            Files.move(pending, staging.resolve(LOCK_FILE), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            if (lock != null) {
                lock.close();
            }
            deleteTreeQuietly(staging);
            stagingKey.close();
            idKey.close();
            if (e instanceof RuntimeException unexpected) {
                throw unexpected;
            }
            throw new JrunException.SystemFailure("cannot create a state directory in " + root + ": " + e.getMessage()
                    + " (is --root writable?)", e);
        }
        try {
            writeInto(staging, initial);
            Rename.noReplace(staging, dir);
            return lock;
        } catch (NativeException e) {
            lock.close();
            deleteTreeQuietly(staging);
            if (e.errno() == Errno.EEXIST || e.errno() == Errno.ENOTEMPTY) {
                throw new JrunException.AlreadyExists(id);
            }
            throw new JrunException.SystemFailure("cannot reserve container \"" + id + "\" in " + root + ": " + e.getMessage(), e);
        } catch (JrunException | RuntimeException e) {
            lock.close();
            deleteTreeQuietly(staging);
            throw e;
        }
    }

    /** The state root exists, is a directory, and is private to its owner when jrun makes it (runc's is 0700 too). */
    public void prepareRoot() throws JrunException {
        if (Files.isDirectory(root)) {
            return;
        }
        // Made, not looked at first: requests running side by side (the server's) may make it at the same moment, and
        // createDirectories takes a directory made meanwhile and refuses anything else.
        try {
            Files.createDirectories(root, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            throw new JrunException.InvalidInput("the state root " + root + " (--root) exists and is not a directory;"
                    + " name a directory, or one jrun may create");
        } catch (IOException e) {
            throw new JrunException.SystemFailure("cannot create the state root " + root + ": " + e.getMessage()
                    + " (is --root writable?)", e);
        }
    }

    /**
     * Removes staging directories whose creator is gone, and tombstones of deletes killed while emptying
     * them. The creator's lock file appears (renamed from its pending name) already locked and stays
     * locked until the directory is renamed to the id, so a lock that can be taken means nobody will
     * finish it; and only a directory a minute old is looked at at all, so that a creator between its
     * mkdir and its lock is never mistaken for a dead one (100 parallel creates once swept each other's
     * fresh directories).
     */
    private void sweepStaging() {
        Instant abandoned = Instant.now().minus(ABANDONED_AFTER);
        try (Stream<Path> entries = Files.list(root)) {
            for (Path leftover : entries.filter(p -> p.getFileName().toString().startsWith(STAGING_PREFIX)
                    || p.getFileName().toString().startsWith(TOMBSTONE_PREFIX)).toList()) {
                if (!Files.getLastModifiedTime(leftover).toInstant().isBefore(abandoned)) {
                    continue;
                }
                Path lockFile = leftover.resolve(LOCK_FILE);
                if (leftover.getFileName().toString().startsWith(STAGING_PREFIX) && Files.exists(lockFile)) {
                    // A staging directory of this JVM's own (another request of the server) is in use: not even opened.
                    Optional<InProcessLocks.Held> key = IN_PROCESS.tryAcquire(inProcessKey(leftover.getFileName().toString()));
                    if (key.isEmpty()) {
                        continue;
                    }
                    try (InProcessLocks.Held _ = key.get();
                            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE); FileLock lock = channel.tryLock()) {
                        if (lock == null) {
                            continue; // its creator is alive, however slow
                        }
                    }
                }
                deleteTreeQuietly(leftover);
            }
        } catch (IOException | UncheckedIOException e) {
            // a leftover of another create is no reason to fail this one
        }
    }

    /** Unique enough for a private directory name (collisions fail safely: createDirectory refuses). */
    private static String randomSuffix() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }

    /** Locks an existing container, waiting for any other operation on it to finish. */
    public ContainerLock lock(String id) throws JrunException {
        Path lockFile = directoryOf(id).resolve(LOCK_FILE);
        long deadline = System.nanoTime() + LOCK_TIMEOUT.toNanos();
        InProcessLocks.Held key = inProcessLock(id, lockFile);
        try {
            ContainerLock lock = lockFile(id, lockFile, deadline, List.of(key));
            // Another operation may have deleted the container while we waited for its lock.
            if (!Files.exists(lockFile)) {
                lock.close();
                throw new JrunException.NotFound(id);
            }
            return lock;
        } catch (NoSuchFileException e) {
            key.close();
            throw new JrunException.NotFound(id);
        } catch (IOException e) {
            key.close();
            throw new JrunException.SystemFailure("cannot lock container \"" + id + "\": " + e.getMessage(), e);
        } catch (JrunException | RuntimeException e) {
            key.close();
            throw e;
        }
    }

    /** This JVM's key for the id, taken before its lock file is opened (see {@link InProcessLocks}). */
    private InProcessLocks.Held inProcessLock(String id, Path lockFile) throws JrunException {
        try {
            return IN_PROCESS.acquire(inProcessKey(id), LOCK_TIMEOUT.toNanos())
                    .orElseThrow(() -> new ContainerBusyException(id, lockFile, LOCK_TIMEOUT));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JrunException.SystemFailure("interrupted while waiting for the lock of container \"" + id + "\"", e);
        } catch (ContainerBusyException e) {
            throw new JrunException.SystemFailure("cannot lock container \"" + id + "\": " + e.getMessage(), e);
        }
    }

    /**
     * Takes the id's lock, waiting at most {@link #LOCK_TIMEOUT}: an operation stuck on one container
     * (a helper that never answers) must not block every later verb on it forever.
     */
    private static ContainerLock lockFile(String id, Path lockFile, List<InProcessLocks.Held> keys) throws IOException {
        return lockFile(id, lockFile, System.nanoTime() + LOCK_TIMEOUT.toNanos(), keys);
    }

    /** The same, with the in-process keys (held already) handed to the lock, which releases them last. */
    private static ContainerLock lockFile(String id, Path lockFile, long deadline, List<InProcessLocks.Held> keys) throws IOException {
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            long pauseNanos = 200_000;
            for (FileLock lock; ; ) {
                if ((lock = channel.tryLock()) != null) {
                    return new ContainerLock(id, channel, lock, keys);
                }
                if (System.nanoTime() > deadline) {
                    throw new ContainerBusyException(id, lockFile, LOCK_TIMEOUT);
                }
                LockSupport.parkNanos(pauseNanos);
                pauseNanos = Math.min(pauseNanos * 2, 50_000_000);
            }
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The lock stayed taken past the deadline; reported as a {@link JrunException.SystemFailure} by the callers. */
    private static final class ContainerBusyException extends IOException {
        private static final long serialVersionUID = 1L;

        ContainerBusyException(String id, Path lockFile, Duration waited) {
            super("another jrun operation on container \"" + id + "\" has held its lock for " + waited.toSeconds()
                    + " s; try again once it has finished, or find it with `fuser " + lockFile + "`");
        }
    }

    /**
     * The in-process key of a name in the root: the root as the kernel resolves it (one key per directory, however
     * --root was spelt), then the name.
     */
    private Path inProcessKey(String name) {
        Path absolute = root.toAbsolutePath().normalize();
        try {
            return absolute.toRealPath().resolve(name);
        } catch (IOException e) {
            return absolute.resolve(name);
        }
    }

    /** True when the id's directory exists but holds no state: the leftover of a create from before state was reserved whole. */
    public boolean isStateless(String id) throws JrunException {
        Path dir = directoryOf(id);
        return Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) && !Files.exists(dir.resolve(STATE_FILE));
    }

    public ContainerState read(String id) throws JrunException {
        Path file = directoryOf(id).resolve(STATE_FILE);
        try {
            return json.readValue(file.toFile(), ContainerState.class);
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new JrunException.NotFound(id);
        } catch (IOException e) {
            throw new JrunException.SystemFailure("the state of container \"" + id + "\" is unreadable (" + file + "): "
                    + firstLine(e.getMessage()), e);
        }
    }

    /** Jackson's messages run over several lines and quote its internals; the first line says what is wrong. */
    private static String firstLine(String message) {
        String first = message == null ? "unknown reason" : message.lines().findFirst().orElse("unknown reason");
        int source = first.indexOf(" at [Source");
        return source > 0 ? first.substring(0, source) : first;
    }

    /** Writes state.json atomically: a temporary file in the same directory, then rename. */
    public void write(ContainerState state) throws JrunException {
        writeInto(directoryOf(state.id()), state);
    }

    private void writeInto(Path dir, ContainerState state) throws JrunException {
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

    /**
     * Removes the container's directory and everything in it (called with its lock held). It is first
     * renamed out of the id's place, so the id is free at once and no other operation can add to it
     * while it is being emptied.
     */
    public void remove(String id) throws JrunException {
        Path dir = directoryOf(id);
        Path tombstone = root.resolve(TOMBSTONE_PREFIX + randomSuffix());
        try {
            Files.move(dir, tombstone, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return; // already gone
        } catch (IOException e) {
            throw new JrunException.SystemFailure("cannot remove " + dir + ": " + e.getMessage(), e);
        }
        try {
            deleteTree(tombstone);
        } catch (IOException e) {
            throw new JrunException.SystemFailure("cannot remove " + tombstone + " (the state of \"" + id + "\"): " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (NoSuchFileException e) {
            // already gone
        }
    }

    private static void deleteTreeQuietly(Path dir) {
        try {
            deleteTree(dir);
        } catch (IOException | UncheckedIOException e) {
            // best effort: the next reservation sweeps staging leftovers again
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
