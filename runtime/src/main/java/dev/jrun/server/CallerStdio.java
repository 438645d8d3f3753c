package dev.jrun.server;

import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The caller's standard input, output and error, as the REQUEST brought them (its descriptors 0, 1 and 2). The
 * server owns them for the request and closes them before it sends EXIT: once the client has exited, nothing of
 * the caller's stays open in the server (a shell reading the caller's stdout sees its end at once).
 */
final class CallerStdio implements AutoCloseable {
    private final CallerInput input;
    private final CallerOutput outFd;
    private final CallerOutput errFd;
    private final PrintStream out;
    private final PrintStream err;

    private CallerStdio(int input, int output, int error) {
        this.input = new CallerInput(input);
        this.outFd = new CallerOutput(output, "stdout");
        this.errFd = new CallerOutput(error, "stderr");
        this.out = new PrintStream(new BufferedOutputStream(outFd), true, StandardCharsets.UTF_8);
        this.err = new PrintStream(new BufferedOutputStream(errFd), true, StandardCharsets.UTF_8);
    }

    /** The three descriptors of a REQUEST, in order 0, 1, 2. */
    static CallerStdio of(List<Integer> fds) {
        if (fds.size() != 3) {
            throw new IllegalArgumentException("a REQUEST carries exactly three descriptors, not " + fds.size());
        }
        return new CallerStdio(fds.get(0), fds.get(1), fds.get(2));
    }

    InputStream in() {
        return input;
    }

    PrintStream out() {
        return out;
    }

    PrintStream err() {
        return err;
    }

    @Override
    public void close() {
        out.flush();
        err.flush();
        outFd.close();
        errFd.close();
        input.close();
    }
}
