package dev.jrun.cli;

import java.io.Writer;

/**
 * A writer whose lines go to --log as entries of one level, the way runc logs its warnings. Under conmon and
 * containerd's shim jrun's stderr during create is the container's own stderr, so warnings written there showed up
 * in `podman logs` and at the front of tools' error messages; with --log they go only to the runtime log.
 */
final class LogLines extends Writer {
    /** Create prints "jrun: warning: …"; in the log the level says it. */
    private static final String PREFIX = "jrun: warning: ";

    private final JrunCommand global;
    private final String level;
    private final StringBuilder line = new StringBuilder();

    LogLines(JrunCommand global, String level) {
        this.global = global;
        this.level = level;
    }

    @Override
    public void write(char[] chars, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (chars[i] == '\n') {
                emit();
            } else {
                line.append(chars[i]);
            }
        }
    }

    private void emit() {
        String text = line.toString();
        line.setLength(0);
        ErrorReport.appendToLog(global, level, text.startsWith(PREFIX) ? text.substring(PREFIX.length()) : text);
    }

    @Override
    public void flush() {
        // whole lines are written as they end; a part line waits for its end
    }

    @Override
    public void close() {
        if (!line.isEmpty()) {
            emit();
        }
    }
}
