package dev.jrun.lifecycle;

import dev.jrun.error.JrunException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** --pid-file: written whole or not at all (a temporary file renamed), as tools read it the moment it appears. */
final class PidFile {
    private PidFile() {}

    /** Writes pid to pidFile; nothing when pidFile is null. */
    static void write(Path pidFile, long pid) throws JrunException {
        if (pidFile == null) {
            return;
        }
        Path temp = pidFile.resolveSibling(pidFile.getFileName() + ".jrun-tmp");
        try {
            Files.writeString(temp, Long.toString(pid));
            Files.move(temp, pidFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // the error below is what matters; a temp file that cannot be removed could not be written either
            }
            String reason = e instanceof java.nio.file.NoSuchFileException ? "its directory does not exist"
                    : e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.getMessage();
            throw new JrunException.SystemFailure("cannot write the pid file " + pidFile + ": " + reason, e);
        }
    }
}
