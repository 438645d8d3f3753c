package dev.jrun.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes the payload of a netlink message: fixed structs, then attributes (struct rtattr: u16 length,
 * u16 type, value, padded to 4 bytes), possibly nested. Netlink uses the host's byte order for
 * numbers; addresses are written as given (network order). Lengths of nested attributes are filled
 * in when they are closed, so callers never count bytes.
 */
final class MessageWriter {
    static final int ALIGN = 4;
    static final int ATTR_HEADER = 4;

    private ByteBuffer buffer = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());

    static int align(int length) {
        return (length + ALIGN - 1) & ~(ALIGN - 1);
    }

    MessageWriter u8(int value) {
        room(1).put((byte) value);
        return this;
    }

    MessageWriter u16(int value) {
        room(2).putShort((short) value);
        return this;
    }

    MessageWriter u32(int value) {
        room(4).putInt(value);
        return this;
    }

    MessageWriter bytes(byte[] value) {
        room(value.length).put(value);
        return this;
    }

    MessageWriter attribute(int type, byte[] value) {
        int start = begin(type);
        bytes(value);
        end(start);
        return this;
    }

    MessageWriter attributeU32(int type, int value) {
        int start = begin(type);
        u32(value);
        end(start);
        return this;
    }

    /** A C string: the kernel's string policies accept the terminating NUL, and `ip` sends it too. */
    MessageWriter attributeString(int type, String value) {
        byte[] text = value.getBytes(StandardCharsets.UTF_8);
        byte[] withNul = Arrays.copyOf(text, text.length + 1);
        return attribute(type, withNul);
    }

    /** Opens an attribute whose value follows (structs or nested attributes); returns its offset for {@link #end}. */
    int begin(int type) {
        int start = buffer.position();
        u16(0); // length, filled in by end()
        u16(type);
        return start;
    }

    /** Closes the attribute opened at start: its length covers everything written since, without the final padding. */
    void end(int start) {
        int length = buffer.position() - start;
        buffer.putShort(start, (short) length);
        pad();
    }

    int position() {
        return buffer.position();
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buffer.array(), buffer.position());
    }

    private void pad() {
        int padding = align(buffer.position()) - buffer.position();
        room(padding).put(new byte[padding]);
    }

    private ByteBuffer room(int bytes) {
        if (buffer.remaining() < bytes) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + bytes)).order(ByteOrder.nativeOrder());
            bigger.put(buffer.array(), 0, buffer.position());
            buffer = bigger;
        }
        return buffer;
    }
}
