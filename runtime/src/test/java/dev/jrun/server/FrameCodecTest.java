package dev.jrun.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The frames of docs/server.md on golden bytes, written out by hand from the table there, so that the Java side
 * and the C client are checked against the document rather than against each other.
 */
class FrameCodecTest {

    private static byte[] hex(String spaced) {
        return HexFormat.of().parseHex(spaced.replace(" ", ""));
    }

    private static void golden(Frame frame, String bytes) throws ProtocolException {
        assertEquals(bytes.replace(" ", ""), HexFormat.of().formatHex(FrameCodec.encode(frame)), frame.toString());
        byte[] wire = hex(bytes);
        assertEquals(frame, FrameCodec.decode(Arrays.copyOfRange(wire, 4, wire.length)));
    }

    @Test
    void request() throws ProtocolException {
        golden(new Frame.Request(1, "b1", "/", List.of("state", "x"), List.of("JRUN_A=1")),
                "32000000 51"                   // length 50, 'Q'
                + " 01000000"                   // version 1
                + " 02000000 6231"              // buildId "b1"
                + " 01000000 2f"                // cwd "/"
                + " 02000000 05000000 7374617465 01000000 78" // argv [state, x]
                + " 01000000 08000000 4a52554e5f413d31");      // env [JRUN_A=1]
    }

    @Test
    void clientAnswers() throws ProtocolException {
        golden(new Frame.Spawned(4242), "09000000 50 9210000000000000");
        golden(new Frame.Spawned(-2), "09000000 50 feffffffffffffff"); // -ENOENT
        golden(new Frame.HelperExited(143), "05000000 58 8f000000");
        golden(new Frame.HelperExited(-1), "05000000 58 ffffffff");
    }

    @Test
    void serverFrames() throws ProtocolException {
        golden(new Frame.Spawn("/x", List.of("A=b")), "12000000 53 02000000 2f78 01000000 03000000 413d62");
        golden(new Frame.Wait(-1, List.of(15, 2)), "11000000 57 ffffffff 02000000 0f000000 02000000");
        golden(new Frame.Wait(0, List.of()), "09000000 57 00000000 00000000");
        golden(new Frame.Relay(List.of(15, 1)), "0d000000 52 02000000 0f000000 01000000");
        golden(new Frame.Kill(), "01000000 4b");
        golden(new Frame.Exit(3), "05000000 45 03000000");
        golden(new Frame.Stale(), "01000000 4f");
    }

    @Test
    void nonAsciiStringsAreUtf8() throws ProtocolException {
        golden(new Frame.Spawn("/é", List.of()), "0c000000 53 03000000 2fc3a9 00000000");
    }

    @Test
    void malformedFramesAreProtocolErrors() {
        assertProblem("", "length 0");
        assertProblem("7a", "unknown frame type 'z'");
        assertProblem("45 0300", "ends inside status");
        assertProblem("45 03000000 00", "1 bytes after its last field");
        assertProblem("53 02000000 2f00 00000000", "path holds a NUL");
        assertProblem("53 01000000 ff 00000000", "path is not valid UTF-8");
        assertProblem("53 01000000 2f ffffffff", "ends inside env");
        assertProblem("50 0000000000000000", "pid 0");
        assertProblem("58 feffffff", "status -2");
    }

    private static void assertProblem(String body, String expected) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> FrameCodec.decode(hex(body)));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void theDecoderWaitsForWholeFramesWhateverTheSplit() throws ProtocolException {
        byte[] two = hex("05000000 45 03000000 01000000 4f");
        for (int split = 0; split <= two.length; split++) {
            FrameDecoder decoder = new FrameDecoder();
            decoder.append(Arrays.copyOfRange(two, 0, split));
            Optional<Frame> first = decoder.next();
            decoder.append(Arrays.copyOfRange(two, split, two.length));
            Frame exit = first.isPresent() ? first.get() : decoder.next().orElseThrow();
            assertEquals(new Frame.Exit(3), exit);
            assertEquals(Optional.of(new Frame.Stale()), decoder.next());
            assertEquals(Optional.empty(), decoder.next());
        }
    }

    @Test
    void aFrameLongerThan16MiBIsRefusedFromItsLengthAlone() {
        FrameDecoder decoder = new FrameDecoder();
        decoder.append(hex("01000001")); // 16 MiB + 1
        ProtocolException e = assertThrows(ProtocolException.class, decoder::next);
        assertTrue(e.getMessage().contains("16777217"), e.getMessage());
    }

    @Test
    void aFrameOfExactly16MiBIsAccepted() throws ProtocolException {
        byte[] path = new byte[FrameCodec.MAX_FRAME - 1 - 4 - 4];
        Arrays.fill(path, (byte) 'a');
        Frame big = new Frame.Spawn(new String(path, java.nio.charset.StandardCharsets.US_ASCII), List.of());
        byte[] wire = FrameCodec.encode(big);
        assertEquals(4 + FrameCodec.MAX_FRAME, wire.length);
        FrameDecoder decoder = new FrameDecoder();
        for (int at = 0; at < wire.length; at += 65536) {
            decoder.append(Arrays.copyOfRange(wire, at, Math.min(wire.length, at + 65536)));
        }
        assertEquals(Optional.of(big), decoder.next());
    }
}
