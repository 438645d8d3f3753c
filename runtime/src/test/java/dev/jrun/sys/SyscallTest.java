package dev.jrun.sys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The calls through the one syscall(2) handle: results, errno and the ppoll timeout, on this machine's kernel. */
class SyscallTest {
    @TempDir
    Path dir;

    @Test
    void aFailureCarriesItsErrno() {
        NativeException e = assertThrows(NativeException.class, () -> FileDescriptors.openReadWrite(dir.resolve("missing")));
        assertEquals(Errno.ENOENT, e.errno());
        assertTrue(e.getMessage().startsWith("open(" + dir.resolve("missing") + ") failed: ENOENT"), e.getMessage());
        assertEquals(-Errno.EBADF, Syscall.call(SyscallNumber.CLOSE, -1));
    }

    @Test
    void writesReachTheFile() throws Exception {
        Path file = Files.createFile(dir.resolve("out"));
        int fd = FileDescriptors.openWriteOnly(file);
        try {
            byte[] data = "hello\n".getBytes(StandardCharsets.UTF_8);
            FileDescriptors.writeFully(fd, data, 0, data.length, "out");
        } finally {
            FileDescriptors.close(fd);
        }
        assertEquals("hello\n", Files.readString(file));
    }

    @Test
    void anEventFdWakesPollUntilDrained() throws Exception {
        int fd = FileDescriptors.eventFd();
        try {
            long start = System.nanoTime();
            assertArrayEquals(new short[] {0}, FileDescriptors.poll(new int[] {fd}, new short[] {FileDescriptors.POLLIN}, 50));
            assertTrue(System.nanoTime() - start >= 40_000_000L, "ppoll's timeout was not waited for");
            FileDescriptors.signal(fd);
            assertArrayEquals(new short[] {FileDescriptors.POLLIN}, FileDescriptors.poll(new int[] {fd}, new short[] {FileDescriptors.POLLIN}, -1));
            FileDescriptors.drain(fd);
            assertArrayEquals(new short[] {0}, FileDescriptors.poll(new int[] {fd}, new short[] {FileDescriptors.POLLIN}, 0));
        } finally {
            FileDescriptors.close(fd);
        }
    }

    @Test
    void renameNeverReplaces() throws Exception {
        Path from = Files.writeString(dir.resolve("from"), "a");
        Path to = Files.writeString(dir.resolve("to"), "b");
        NativeException e = assertThrows(NativeException.class, () -> Rename.noReplace(from, to));
        assertEquals(Errno.EEXIST, e.errno());
        Rename.noReplace(from, dir.resolve("new"));
        assertEquals("a", Files.readString(dir.resolve("new")));
    }

    @Test
    void aPidfdSignalsItsProcessUntilItIsGone() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        Optional<Pidfd> pidfd = Pidfd.open(sleeper.pid());
        assertTrue(pidfd.isPresent());
        try (Pidfd open = pidfd.get()) {
            assertTrue(open.signal(Signals.SIGKILL));
            sleeper.waitFor();
            assertFalse(open.signal(Signals.SIGKILL), "a reaped process takes no signal");
        }
    }

    @Test
    void socketsPassBytesAndDescriptorsAndKnowTheirPeer() throws IOException, NativeException {
        Path socket = dir.resolve("s.sock");
        int listening = UnixSockets.listen(socket, 1);
        int client = UnixSockets.connect(socket);
        int server = UnixSockets.accept(listening).orElseThrow();
        int devNull = FileDescriptors.openReadWrite(Path.of("/dev/null"));
        try {
            assertTrue(UnixSockets.accept(listening).isEmpty());
            assertEquals(UnixSockets.effectiveUid(), UnixSockets.peerCredentials(server).uid());
            assertEquals(ProcessHandle.current().pid(), UnixSockets.peerCredentials(server).pid());
            UnixSockets.sendAll(client, new byte[] {1, 2, 3}, devNull);
            UnixSockets.Received received = UnixSockets.receive(server, 16, 1, false).orElseThrow();
            assertArrayEquals(new byte[] {1, 2, 3}, received.data());
            assertEquals(1, received.fds().size());
            received.fds().forEach(FileDescriptors::close);
            assertTrue(UnixSockets.receive(server, 16, 0, true).isEmpty(), "MSG_DONTWAIT with nothing there");
        } finally {
            for (int fd : new int[] {devNull, server, client, listening}) {
                FileDescriptors.close(fd);
            }
        }
    }
}
