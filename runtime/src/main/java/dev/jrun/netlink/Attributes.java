package dev.jrun.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The attributes (struct rtattr / nlattr) found in a region of a received message, by type. The
 * flag bits NLA_F_NESTED and NLA_F_NET_BYTEORDER are not part of the type and are dropped. When a
 * type repeats, the last one wins, as in the kernel's own parser.
 */
public final class Attributes {
    private final Map<Integer, ByteBuffer> values;

    private Attributes(Map<Integer, ByteBuffer> values) {
        this.values = values;
    }

    /** Parses from the buffer's position to its limit; the buffer itself is not moved. */
    public static Attributes parse(ByteBuffer region) {
        ByteBuffer in = region.slice().order(ByteOrder.nativeOrder());
        Map<Integer, ByteBuffer> values = new HashMap<>();
        while (in.remaining() >= MessageWriter.ATTR_HEADER) {
            int start = in.position();
            int length = Short.toUnsignedInt(in.getShort());
            int type = Short.toUnsignedInt(in.getShort()) & Rtnl.NLA_TYPE_MASK;
            if (length < MessageWriter.ATTR_HEADER || start + length > in.limit()) {
                throw new MalformedMessageException("attribute " + type + " at offset " + start + " has length " + length
                        + " but " + (in.limit() - start) + " bytes remain");
            }
            values.put(type, in.slice(start + MessageWriter.ATTR_HEADER, length - MessageWriter.ATTR_HEADER).order(ByteOrder.nativeOrder()));
            in.position(Math.min(in.limit(), start + MessageWriter.align(length)));
        }
        return new Attributes(values);
    }

    public boolean has(int type) {
        return values.containsKey(type);
    }

    public Optional<byte[]> bytes(int type) {
        ByteBuffer value = values.get(type);
        if (value == null) {
            return Optional.empty();
        }
        byte[] out = new byte[value.remaining()];
        value.duplicate().get(out);
        return Optional.of(out);
    }

    /** A C string: up to the first NUL, or the whole value when there is none. */
    public Optional<String> string(int type) {
        return bytes(type).map(raw -> {
            int end = 0;
            while (end < raw.length && raw[end] != 0) {
                end++;
            }
            return new String(raw, 0, end, StandardCharsets.UTF_8);
        });
    }

    public OptionalInt u32(int type) {
        ByteBuffer value = values.get(type);
        if (value == null) {
            return OptionalInt.empty();
        }
        if (value.remaining() < 4) {
            throw new MalformedMessageException("attribute " + type + " holds " + value.remaining() + " bytes, not a u32");
        }
        return OptionalInt.of(value.getInt(value.position()));
    }

    public Optional<Attributes> nested(int type) {
        ByteBuffer value = values.get(type);
        return value == null ? Optional.empty() : Optional.of(parse(value));
    }
}
