package dev.jrun.lifecycle;

import dev.jrun.error.JrunException;
import dev.jrun.spec.model.IdMapping;
import dev.jrun.spec.model.Spec;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Writes a new user namespace's maps from the parent namespace (user_namespaces(7)), each in the way its writer may
 * ({@link IdMapMethod}): root writes any map and leaves setgroups "allow"; an unprivileged user writes a map of its own
 * id itself (setgroups "deny" first for the gid map, as the kernel requires) and has newuidmap/newgidmap write the rest.
 * Each map is written in one write(2), as the kernel requires.
 *
 * @param uid the method for uid_map
 * @param gid the method for gid_map
 */
record IdMaps(IdMapMethod uid, IdMapMethod gid) {
    /** newuidmap reads two small files and writes one: far longer than it takes, short enough not to hold create. */
    private static final long HELPER_TIMEOUT_SECONDS = 10;
    /** Where Debian's uidmap package puts its helpers, looked in when PATH does not name them. */
    private static final List<Path> HELPER_DIRECTORIES = List.of(Path.of("/usr/bin"), Path.of("/bin"), Path.of("/usr/sbin"), Path.of("/sbin"));

    static IdMaps of(Spec spec, RuntimeUser writer) {
        return new IdMaps(IdMapMethod.choose(IdMapMethod.Kind.UID, spec.linux().uidMappings(), writer.uid(), writer.privileged()),
                IdMapMethod.choose(IdMapMethod.Kind.GID, spec.linux().gidMappings(), writer.gid(), writer.privileged()));
    }

    /** Whether the container may not call setgroups(2) (see {@link IdMapMethod.OwnId}). */
    boolean deniesSetgroups() {
        return IdMapMethod.deniesSetgroups(gid);
    }

    void write(long pid, Spec spec) throws IOException, JrunException {
        Path proc = Path.of("/proc", Long.toString(pid));
        write(proc, pid, IdMapMethod.Kind.UID, uid, spec.linux().uidMappings());
        if (deniesSetgroups()) {
            writeOnce(proc.resolve("setgroups"), "deny");
        }
        write(proc, pid, IdMapMethod.Kind.GID, gid, spec.linux().gidMappings());
    }

    static String render(List<IdMapping> mappings) {
        var out = new StringBuilder();
        for (IdMapping m : mappings) {
            out.append(m.containerID()).append(' ').append(m.hostID()).append(' ').append(m.size()).append('\n');
        }
        return out.toString();
    }

    private static void write(Path proc, long pid, IdMapMethod.Kind kind, IdMapMethod method, List<IdMapping> mappings)
            throws IOException, JrunException {
        switch (method) {
            case IdMapMethod.Privileged _, IdMapMethod.OwnId _ -> writeOnce(proc.resolve(kind.file), render(mappings));
            case IdMapMethod.SetuidHelper helper -> runHelper(kind, helper.program(), pid, mappings);
        }
    }

    private static void writeOnce(Path file, String content) throws IOException {
        Files.write(file, content.getBytes(StandardCharsets.US_ASCII), StandardOpenOption.WRITE);
    }

    /**
     * `newuidmap PID C H S [C H S]...`: a short child of this process whose words become the error, as ps(1)'s do; the
     * caller need not own it (it ends before create does), so the warm server spawns it itself.
     */
    private static void runHelper(IdMapMethod.Kind kind, String program, long pid, List<IdMapping> mappings) throws JrunException {
        Path binary = locate(program).orElseThrow(() -> new JrunException.SystemFailure("cannot write the " + kind.file
                + " of the container's user namespace: " + describe(mappings) + " is more than your own id, which only "
                + program + " may write for an unprivileged user, and " + program + " is not on the PATH (install the uidmap"
                + " package: apt-get install uidmap), or map only your own id (jrun spec --rootless does)", null));
        List<String> command = new ArrayList<>(List.of(binary.toString(), Long.toString(pid)));
        for (IdMapping m : mappings) {
            command.addAll(List.of(Long.toString(m.containerID()), Long.toString(m.hostID()), Long.toString(m.size())));
        }
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            // Its few lines fit the pipe: waiting first cannot block it, and a helper that hangs cannot hold create.
            if (!process.waitFor(HELPER_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new JrunException.SystemFailure("`" + String.join(" ", command) + "` did not finish within "
                        + HELPER_TIMEOUT_SECONDS + " s", null);
            }
            String said = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (process.exitValue() != 0) {
                throw new JrunException.SystemFailure("cannot write the " + kind.file + " of the container's user namespace: `"
                        + String.join(" ", command) + "` failed with exit status " + process.exitValue()
                        + (said.isEmpty() ? "" : " (" + said + ")") + "; each host range of " + describe(mappings)
                        + " other than your own id must be yours in " + kind.subordinateIds + " (user:first:count lines)", null);
            }
        } catch (IOException e) {
            throw new JrunException.SystemFailure("cannot run " + binary + " to write the " + kind.file + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JrunException.SystemFailure("interrupted while " + program + " wrote the " + kind.file, e);
        }
    }

    private static String describe(List<IdMapping> mappings) {
        return "the map \"" + render(mappings).strip().replace("\n", ", ") + "\" (container host size)";
    }

    /** As execvp(3) would find it on this process's PATH, else in the uidmap package's directories. */
    private static java.util.Optional<Path> locate(String program) {
        List<Path> directories = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(":")) {
                if (!dir.isEmpty()) {
                    directories.add(Path.of(dir));
                }
            }
        }
        directories.addAll(HELPER_DIRECTORIES);
        return directories.stream().map(d -> d.resolve(program)).filter(Files::isExecutable).findFirst();
    }
}
