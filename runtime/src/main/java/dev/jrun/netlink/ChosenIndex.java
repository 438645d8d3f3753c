package dev.jrun.netlink;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Interface indexes jrun chooses for the links it makes, rather than leaving the choice to the kernel.
 * An index names one link in its network namespace for as long as that link exists, and RTM_NEWLINK
 * with ifi_index set and NLM_F_CREATE|NLM_F_EXCL either registers the link under exactly that index
 * or fails with EEXIST. The kernel's own allocator counts up from 1 in each namespace (cyclic, up to
 * 2^31 - 1): a namespace would need some 16 million links made in it before reaching 2^24. So an
 * index drawn at random from [2^24, 2^30) and granted by the kernel is jrun's proof that a link is
 * the one it made: a link someone else made under the same name has a different index.
 */
public final class ChosenIndex {
    /** The lowest index jrun chooses: far above where the kernel's counter gets in practice. */
    public static final int FIRST = 1 << 24;
    /** One past the highest: well below 2^31, the end of the kernel's range. */
    public static final int END = 1 << 30;

    private static final Path RANDOM_SOURCE = Path.of("/dev/urandom");

    private ChosenIndex() {}

    /**
     * A random index in [FIRST, END). Drawn from the kernel's random source rather than a seeded
     * generator, so that two jrun processes started at the same moment do not draw the same one.
     */
    public static int pick() throws NetlinkException {
        byte[] raw;
        try (InputStream in = Files.newInputStream(RANDOM_SOURCE)) {
            raw = in.readNBytes(Long.BYTES);
        } catch (IOException e) {
            throw new NetlinkException("choose an interface index from", RANDOM_SOURCE.toString(), 0, "", "it cannot be read: " + e.getMessage());
        }
        if (raw.length != Long.BYTES) {
            throw new NetlinkException("choose an interface index from", RANDOM_SOURCE.toString(), 0, "", "it ended after " + raw.length + " bytes");
        }
        return of(ByteBuffer.wrap(raw).getLong());
    }

    /** The index that 64 random bits stand for; the modulo's bias is below 2^-33. */
    static int of(long randomBits) {
        return FIRST + (int) Math.floorMod(randomBits, (long) END - FIRST);
    }

    public static boolean isChosen(int index) {
        return index >= FIRST && index < END;
    }
}
