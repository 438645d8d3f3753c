package dev.jrun.server;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Frames to bytes and back (docs/server.md "Frames"): {@code u32 length} (little-endian, of the type byte and
 * the payload), {@code u8 type}, payload. Strings are {@code u32 length} + UTF-8 without NUL, lists
 * {@code u32 count} + items, integers little-endian. Pure: no I/O, so it is tested on golden bytes.
 */
public final class FrameCodec {
    /** A frame longer than this is a protocol error: no legitimate request comes near it. */
    public static final int MAX_FRAME = 16 * 1024 * 1024;
    static final int LENGTH_BYTES = 4;

    private FrameCodec() {}

    /** The frame as it goes on the wire, length prefix included. */
    public static byte[] encode(Frame frame) {
        Writer out = new Writer();
        out.u8(frame.type());
        switch (frame) {
            case Frame.Request r -> {
                out.i32(r.version());
                out.str(r.buildId());
                out.str(r.cwd());
                out.strings(r.argv());
                out.strings(r.env());
            }
            case Frame.Spawned s -> out.i64(s.pid());
            case Frame.HelperExited x -> out.i32(x.status());
            case Frame.Spawn s -> {
                out.str(s.path());
                out.strings(s.env());
            }
            case Frame.Wait w -> {
                out.i32(w.timeoutMillis());
                out.i32(w.signals().size());
                w.signals().forEach(out::i32);
            }
            case Frame.Relay r -> {
                out.i32(r.signals().size());
                r.signals().forEach(out::i32);
            }
            case Frame.Kill k -> { }
            case Frame.Exit e -> out.i32(e.status());
            case Frame.Stale s -> { }
        }
        byte[] body = out.bytes.toByteArray();
        if (body.length > MAX_FRAME) {
            throw new IllegalArgumentException("a frame of " + body.length + " bytes exceeds the protocol's " + MAX_FRAME);
        }
        return ByteBuffer.allocate(LENGTH_BYTES + body.length).order(ByteOrder.LITTLE_ENDIAN).putInt(body.length).put(body).array();
    }

    /**
     * The frame whose type byte and payload are body (the length prefix already taken off). Every byte must be
     * used: trailing bytes, short fields, a bad type, invalid UTF-8 or a NUL in a string are protocol errors.
     */
    public static Frame decode(byte[] body) throws ProtocolException {
        if (body.length == 0) {
            throw new ProtocolException("a frame of length 0 (no type byte)");
        }
        Reader in = new Reader(ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN));
        byte type = in.u8();
        Frame frame = switch (type) {
            case 'Q' -> new Frame.Request(in.i32("version"), in.str("buildId"), in.str("cwd"), in.strings("argv"), in.strings("env"));
            case 'P' -> {
                long pid = in.i64("pid");
                if (pid == 0) {
                    throw new ProtocolException("SPAWNED with pid 0 (a pid is > 0, a failure -errno)");
                }
                yield new Frame.Spawned(pid);
            }
            case 'X' -> {
                int status = in.i32("status");
                if (status < Frame.HelperExited.STILL_RUNNING) {
                    throw new ProtocolException("HELPER_EXITED with status " + status + " (0..255, or -1 while it runs)");
                }
                yield new Frame.HelperExited(status);
            }
            case 'S' -> new Frame.Spawn(in.str("path"), in.strings("env"));
            case 'W' -> new Frame.Wait(in.i32("timeoutMillis"), in.ints("signals"));
            case 'R' -> new Frame.Relay(in.ints("signals"));
            case 'K' -> new Frame.Kill();
            case 'E' -> new Frame.Exit(in.i32("status"));
            case 'O' -> new Frame.Stale();
            default -> throw new ProtocolException("unknown frame type " + describe(type));
        };
        if (in.buffer.hasRemaining()) {
            throw new ProtocolException(describe(type) + " frame has " + in.buffer.remaining() + " bytes after its last field");
        }
        return frame;
    }

    static String describe(byte type) {
        return type >= 0x21 && type < 0x7f ? "'" + (char) type + "'" : String.format("0x%02x", type & 0xff);
    }

    private static final class Writer {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

        void u8(byte value) {
            bytes.write(value);
        }

        void i32(int value) {
            bytes.write(scratch.clear().putInt(value).array(), 0, 4);
        }

        void i64(long value) {
            bytes.write(scratch.clear().putLong(value).array(), 0, 8);
        }

        void str(String value) {
            if (value.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("a protocol string cannot hold NUL: " + value.replace('\0', '?'));
            }
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            i32(utf8.length);
            bytes.writeBytes(utf8);
        }

        void strings(List<String> values) {
            i32(values.size());
            values.forEach(this::str);
        }
    }

    private static final class Reader {
        final ByteBuffer buffer;

        Reader(ByteBuffer buffer) {
            this.buffer = buffer;
        }

        byte u8() {
            return buffer.get();
        }

        int i32(String field) throws ProtocolException {
            need(4, field);
            return buffer.getInt();
        }

        long i64(String field) throws ProtocolException {
            need(8, field);
            return buffer.getLong();
        }

        /** A u32 count or length: an unsigned value past what the frame holds is caught by need(). */
        private long u32(String field) throws ProtocolException {
            return Integer.toUnsignedLong(i32(field));
        }

        String str(String field) throws ProtocolException {
            long length = u32(field + " length");
            need(length, field);
            ByteBuffer slice = buffer.slice(buffer.position(), (int) length);
            buffer.position(buffer.position() + (int) length);
            String value;
            try {
                value = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(slice).toString();
            } catch (CharacterCodingException e) {
                throw new ProtocolException(field + " is not valid UTF-8");
            }
            if (value.indexOf('\0') >= 0) {
                throw new ProtocolException(field + " holds a NUL byte");
            }
            return value;
        }

        List<String> strings(String field) throws ProtocolException {
            long count = u32(field + " count");
            // each string takes at least its 4-byte length: a count the frame cannot hold is refused before allocating
            need(count * 4, field);
            List<String> values = new ArrayList<>((int) count);
            for (long i = 0; i < count; i++) {
                values.add(str(field + "[" + i + "]"));
            }
            return values;
        }

        List<Integer> ints(String field) throws ProtocolException {
            long count = u32(field + " count");
            need(count * 4, field);
            List<Integer> values = new ArrayList<>((int) count);
            for (long i = 0; i < count; i++) {
                values.add(buffer.getInt());
            }
            return values;
        }

        private void need(long bytes, String field) throws ProtocolException {
            if (bytes > buffer.remaining()) {
                throw new ProtocolException("the frame ends inside " + field + " (needs " + bytes + " bytes, " + buffer.remaining() + " left)");
            }
        }
    }
}
