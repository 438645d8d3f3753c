package dev.jrun.cgroup;

import dev.jrun.error.JrunException;
import dev.jrun.sys.ProcFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * A container's freezer: v1's freezer.state in the freezer hierarchy (preferred on a hybrid host, where the container's
 * processes are in both and only v1 is the controller runc uses), else v2's cgroup.freeze. Freezing returns once the
 * kernel reports every process frozen; thawing at once.
 */
public sealed interface Freezer {
    Duration SETTLE_TIMEOUT = Duration.ofSeconds(10);

    void freeze() throws JrunException.SystemFailure;

    void thaw() throws JrunException.SystemFailure;

    boolean frozen();

    /** The cgroup whose file it writes. */
    Path directory();

    /**
     * The freezer of a container whose cgroup directories are these (by hierarchy name, as {@link Membership#hierarchy()}
     * names them), if it has one: a v1 freezer hierarchy, or a v2 directory with cgroup.freeze (Linux 5.2+).
     */
    static Optional<Freezer> of(Map<String, Path> byHierarchy) {
        for (var entry : byHierarchy.entrySet()) {
            if (!entry.getKey().equals("unified") && java.util.List.of(entry.getKey().split(",")).contains("freezer")) {
                return Optional.of(new V1(entry.getValue()));
            }
        }
        Path unified = byHierarchy.get("unified");
        return unified != null && Files.exists(unified.resolve("cgroup.freeze")) ? Optional.of(new V2(unified)) : Optional.empty();
    }

    /** v1: freezer.state takes FROZEN or THAWED and reads FREEZING until every task has stopped. */
    record V1(Path directory) implements Freezer {
        @Override
        public void freeze() throws JrunException.SystemFailure {
            set("FROZEN");
            settle(this, "FROZEN");
        }

        @Override
        public void thaw() throws JrunException.SystemFailure {
            set("THAWED");
        }

        @Override
        public boolean frozen() {
            return state().equals("FROZEN") || state().equals("FREEZING");
        }

        String state() {
            try {
                return ProcFiles.read(directory.resolve("freezer.state")).strip();
            } catch (IOException e) {
                return "";
            }
        }

        private void set(String value) throws JrunException.SystemFailure {
            write(directory.resolve("freezer.state"), value);
        }
    }

    /** v2: cgroup.freeze takes 1 or 0; cgroup.events says "frozen 1" once every process has stopped. */
    record V2(Path directory) implements Freezer {
        @Override
        public void freeze() throws JrunException.SystemFailure {
            write(directory.resolve("cgroup.freeze"), "1");
            settle(this, "frozen 1");
        }

        @Override
        public void thaw() throws JrunException.SystemFailure {
            write(directory.resolve("cgroup.freeze"), "0");
        }

        @Override
        public boolean frozen() {
            try {
                return ProcFiles.read(directory.resolve("cgroup.freeze")).strip().equals("1");
            } catch (IOException e) {
                return false;
            }
        }

        String events() {
            try {
                return ProcFiles.read(directory.resolve("cgroup.events"));
            } catch (IOException e) {
                return "";
            }
        }
    }

    private static void write(Path file, String value) throws JrunException.SystemFailure {
        try {
            CgroupFiles.write(file, value);
        } catch (IOException e) {
            throw new JrunException.SystemFailure("cannot write " + value + " to " + file + ": " + CgroupFiles.reason(e), e);
        }
    }

    /** Waits until the kernel reports the freeze done; a task stuck in the kernel can hold it, so the wait is bounded. */
    private static void settle(Freezer freezer, String done) throws JrunException.SystemFailure {
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        long pause = 100_000;
        while (!(switch (freezer) {
            case V1 v1 -> v1.state().equals(done);
            case V2 v2 -> v2.events().lines().anyMatch(done::equals);
        })) {
            if (System.nanoTime() > deadline) {
                freezer.thaw();
                throw new JrunException.SystemFailure("the processes of cgroup " + freezer.directory() + " did not all freeze within "
                        + SETTLE_TIMEOUT.toSeconds() + " s (one may be stuck in the kernel); thawed them again", null);
            }
            LockSupport.parkNanos(pause);
            pause = Math.min(pause * 2, 10_000_000);
        }
    }
}
