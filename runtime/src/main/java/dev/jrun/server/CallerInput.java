package dev.jrun.server;

import dev.jrun.sys.FileDescriptors;
import dev.jrun.sys.NativeException;
import java.io.IOException;
import java.io.InputStream;

/** The caller's stdin, received from the client: read(2) on the descriptor itself (`update --resources -` reads it). */
final class CallerInput extends InputStream {
    private final CallerDescriptor descriptor;

    CallerInput(int fd) {
        this.descriptor = new CallerDescriptor(fd, "stdin");
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public synchronized int read(byte[] bytes, int offset, int length) throws IOException {
        int fd = descriptor.open();
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
    public void close() {
        descriptor.close();
    }
}
