package dev.jrun.server;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Optional;

/**
 * Frames out of a byte stream that arrives in pieces of any size: bytes are appended as they are read, and
 * {@link #next()} returns a frame once all of it is there. A length over {@link FrameCodec#MAX_FRAME} is refused
 * as soon as its four bytes arrive, before anything is buffered for it.
 */
final class FrameDecoder {
    private byte[] buffer = new byte[4096];
    /** buffer[start, end) holds the bytes not yet decoded. */
    private int start;
    private int end;

    void append(byte[] bytes) {
        if (end + bytes.length > buffer.length) {
            int kept = end - start;
            if (kept + bytes.length > buffer.length) {
                buffer = Arrays.copyOfRange(buffer, start, start + Math.max(buffer.length * 2, kept + bytes.length));
            } else {
                System.arraycopy(buffer, start, buffer, 0, kept);
            }
            start = 0;
            end = kept;
        }
        System.arraycopy(bytes, 0, buffer, end, bytes.length);
        end += bytes.length;
    }

    /** True when bytes of an unfinished frame are buffered (end of stream now would cut a frame). */
    boolean hasPartialFrame() {
        return end > start;
    }

    Optional<Frame> next() throws ProtocolException {
        if (end - start < FrameCodec.LENGTH_BYTES) {
            return Optional.empty();
        }
        long length = Integer.toUnsignedLong(ByteBuffer.wrap(buffer, start, 4).order(ByteOrder.LITTLE_ENDIAN).getInt());
        if (length > FrameCodec.MAX_FRAME) {
            throw new ProtocolException("a frame of " + length + " bytes (at most " + FrameCodec.MAX_FRAME + ")");
        }
        int total = FrameCodec.LENGTH_BYTES + (int) length;
        if (end - start < total) {
            return Optional.empty();
        }
        byte[] body = Arrays.copyOfRange(buffer, start + FrameCodec.LENGTH_BYTES, start + total);
        start += total;
        if (start == end) {
            start = end = 0;
        }
        return Optional.of(FrameCodec.decode(body));
    }
}
