package dev.jrun.server;

import dev.jrun.sys.FileDescriptors;
import dev.jrun.sys.NativeException;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The caller's stdout or stderr, received from the client: write(2) on the descriptor itself, so output goes
 * straight to the caller and nothing is relayed. Once {@link #close()}d, writes fail instead of going to
 * whatever file a later request receives under the same descriptor number.
 */
final class CallerOutput extends OutputStream {
    private final CallerDescriptor descriptor;

    CallerOutput(int fd, String name) {
        this.descriptor = new CallerDescriptor(fd, name);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    /** A gone reader (EPIPE) fails this write only; PrintStream turns that into checkError(), never an exception. */
    @Override
    public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
        int fd = descriptor.open();
        try {
            FileDescriptors.writeFully(fd, bytes, offset, length, "the caller's " + descriptor.name());
        } catch (NativeException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** Closes the descriptor; after this no write can reach it, nor a descriptor that reuses its number. */
    @Override
    public synchronized void close() {
        descriptor.close();
    }
}
