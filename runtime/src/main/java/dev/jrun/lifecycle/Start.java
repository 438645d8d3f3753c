package dev.jrun.lifecycle;

import dev.jrun.error.JrunException;
import dev.jrun.state.ContainerLock;
import dev.jrun.state.ContainerState;
import dev.jrun.state.StateStore;
import dev.jrun.state.Status;
import dev.jrun.state.StatusProbe;
import dev.jrun.sys.ProcessTable;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/** `start`: lets a created container's init run the user's process (runtime.md "start"). */
public final class Start {
    private final StateStore store;
    private final ProcessTable processes;

    public Start(StateStore store, ProcessTable processes) {
        this.store = store;
        this.processes = processes;
    }

    public void start(String id) throws JrunException {
        try (ContainerLock _ = store.lock(id)) {
            ContainerState state = store.read(id);
            Status status = new StatusProbe(processes).statusOf(state);
            if (!status.canStart()) {
                throw new JrunException.IncorrectStatus(id, "start", status.label(), "created");
            }
            Path socket = store.directoryOf(id).resolve(StateStore.START_SOCKET);
            try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                channel.connect(UnixDomainSocketAddress.of(socket));
                channel.write(ByteBuffer.wrap(new byte[] {'g'}));
                ByteBuffer reply = ByteBuffer.allocate(1);
                if (channel.read(reply) != 1 || reply.get(0) != 's') {
                    throw new JrunException.StageFailed("start", "the container's init did not confirm the start; it may have died", null);
                }
            } catch (IOException e) {
                throw new JrunException.StageFailed("start", "cannot reach the container's init at " + socket + ": " + e.getMessage(), e);
            } finally {
                deleteQuietly(socket);
            }
        }
    }

    private static void deleteQuietly(Path socket) {
        try {
            Files.deleteIfExists(socket);
        } catch (IOException ignored) {
            // the next status probe sees the init's state anyway
        }
    }
}
