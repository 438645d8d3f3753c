package dev.jrun.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jrun.error.JrunException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/** Prints a failed operation's error on stderr and, with --log, appends it to the log file as runc does. */
final class ErrorReport {
    private ErrorReport() {}

    static int report(JrunCommand global, PrintWriter err, String command, JrunException e) {
        String message = "jrun: " + command + ": " + e.getMessage();
        err.println(message);
        if (global.debug && e.getCause() != null) {
            e.getCause().printStackTrace(err);
        }
        err.flush();
        if (global.log != null) {
            appendToLog(global, "error", command + ": " + e.getMessage());
        }
        return e.exitCode();
    }

    static void appendToLog(JrunCommand global, String level, String message) {
        String line;
        if (global.logFormat == JrunCommand.LogFormat.json) {
            ObjectNode entry = JsonNodeFactory.instance.objectNode();
            entry.put("level", level);
            entry.put("msg", message);
            entry.put("time", Instant.now().toString());
            line = entry.toString();
        } else {
            line = Instant.now() + " " + level + " " + message.replace("\n", "\n    ");
        }
        try {
            Files.writeString(global.log, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException ignored) {
            // the error is on stderr already; a broken log must not hide it
        }
    }
}
