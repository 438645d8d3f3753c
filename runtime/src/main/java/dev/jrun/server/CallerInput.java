package dev.jrun.server;

import dev.jrun.sys.FileDescriptors;
import dev.jrun.sys.NativeException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The caller's stdin, received from the client: read(2) on the descriptor itself (`update --resources -` reads it).
 * Once {@link #close()}d, reads fail instead of reaching whatever file a later request receives under the same number.
 */
final class CallerInput extends InputStream {
    private final int fd;
    private boolean closed;

    CallerInput(int fd) {
        this.fd = fd;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public synchronized int read(byte[] bytes, int offset, int length) throws IOException {
        if (closed) {
            throw new IOException("the caller's stdin is closed: the request is over");
        }
        if (length == 0) {
            return 0;
        }
        try {
            int got = FileDescriptors.read(fd, bytes, offset, length, "the caller's stdin");
            return got == 0 ? -1 : got;
        } catch (NativeException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            FileDescriptors.close(fd);
        }
    }
}
