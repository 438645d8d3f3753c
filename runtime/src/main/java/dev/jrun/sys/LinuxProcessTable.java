package dev.jrun.sys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/** {@link ProcessTable} read from /proc and acted on through pidfds. */
public final class LinuxProcessTable implements ProcessTable {
    private static final Path PROC = Path.of("/proc");

    @Override
    public Optional<KnownProcess> process(long pid) {
        return KnownProcess.now(pid);
    }

    @Override
    public boolean isAlive(KnownProcess process) {
        return process.isAlive();
    }

    @Override
    public boolean signal(KnownProcess process, int signal) throws NativeException {
        return process.signal(signal);
    }

    @Override
    public List<Long> pids() {
        try (Stream<Path> entries = Files.list(PROC)) {
            return entries.map(p -> p.getFileName().toString()).filter(LinuxProcessTable::isPid).map(Long::parseLong).toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc: " + e.getMessage(), e);
        }
    }

    private static boolean isPid(String name) {
        if (name.isEmpty() || name.length() > 10) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) < '0' || name.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    @Override
    public Optional<String> pidNamespaceOf(long pid) {
        return link(PROC.resolve(Long.toString(pid)).resolve("ns/pid"));
    }

    @Override
    public String ownPidNamespace() {
        return link(PROC.resolve("self/ns/pid")).orElseThrow(() -> new IllegalStateException("cannot read /proc/self/ns/pid"));
    }

    private static Optional<String> link(Path path) {
        try {
            return Optional.of(Files.readSymbolicLink(path).toString());
        } catch (IOException e) {
            return Optional.empty(); // exited meanwhile
        }
    }

    @Override
    public OptionalLong innermostPid(long pid) {
        try {
            for (String line : ProcFiles.read(PROC.resolve(Long.toString(pid)).resolve("status")).split("\n")) {
                if (line.startsWith("NSpid:")) {
                    String[] fields = line.substring("NSpid:".length()).trim().split("\\s+");
                    return OptionalLong.of(Long.parseLong(fields[fields.length - 1]));
                }
            }
            return OptionalLong.empty();
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public Optional<FileIdentity> executableOf(long pid) {
        return FileIdentity.of(PROC.resolve(Long.toString(pid)).resolve("exe"));
    }
}
