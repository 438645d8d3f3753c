package dev.jrun.lifecycle;

import dev.jrun.sys.FileDescriptors;
import dev.jrun.sys.UnixSockets;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A seccomp agent for the tests: listens at a socket, takes one connection's container process state and listener
 * (SCM_RIGHTS), then answers every notification with a failure of the errno it was given, as an agent that emulates or
 * refuses syscalls would (seccomp_unotify(2)).
 */
final class SeccompAgent implements AutoCloseable {
    /** _IOWR('!', 0, struct seccomp_notif) and _IOWR('!', 1, struct seccomp_notif_resp). */
    private static final long NOTIF_RECV = 0xC0502100L;
    private static final long NOTIF_SEND = 0xC0182101L;
    private static final int NOTIF_SIZE = 80;
    private static final int RESP_SIZE = 24;
    private static final MethodHandle IOCTL = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("ioctl").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS),
            Linker.Option.firstVariadicArg(2));

    private final int listenFd;
    private final int errno;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger answered = new AtomicInteger();
    private final CompletableFuture<String> state = new CompletableFuture<>();
    private final Thread thread;

    SeccompAgent(Path socket, int errno) throws Exception {
        this.listenFd = UnixSockets.listen(socket, 1);
        this.errno = errno;
        this.thread = Thread.ofPlatform().daemon().start(this::serve);
    }

    /** The container process state the runtime sent. */
    CompletableFuture<String> state() {
        return state;
    }

    /** How many notifications the agent answered. */
    int answered() {
        return answered.get();
    }

    private void serve() {
        int listener = -1;
        try {
            int connection = -1;
            while (connection < 0 && !closed.get()) {
                FileDescriptors.poll(new int[] {listenFd}, new short[] {FileDescriptors.POLLIN}, 100);
                var accepted = UnixSockets.accept(listenFd);
                if (accepted.isPresent()) {
                    connection = accepted.getAsInt();
                }
            }
            if (connection < 0) {
                return;
            }
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            while (true) {
                UnixSockets.Received part = UnixSockets.receive(connection, 65536, 1, false).orElseThrow();
                if (part.endOfStream()) {
                    break;
                }
                text.writeBytes(part.data());
                if (!part.fds().isEmpty()) {
                    listener = part.fds().getFirst();
                }
            }
            FileDescriptors.close(connection);
            state.complete(text.toString(StandardCharsets.UTF_8));
            answer(listener);
        } catch (Throwable e) {
            state.completeExceptionally(e);
        } finally {
            FileDescriptors.close(listener);
        }
    }

    private void answer(int listener) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment notif = arena.allocate(NOTIF_SIZE, 8);
            MemorySegment resp = arena.allocate(RESP_SIZE, 8);
            while (!closed.get()) {
                short[] ready = FileDescriptors.poll(new int[] {listener}, new short[] {FileDescriptors.POLLIN}, 100);
                if ((ready[0] & FileDescriptors.POLLHUP) != 0) {
                    return; // no process is left under the filter
                }
                if ((ready[0] & FileDescriptors.POLLIN) == 0) {
                    continue;
                }
                notif.fill((byte) 0);
                if ((int) IOCTL.invokeExact(listener, NOTIF_RECV, notif) < 0) {
                    continue; // the process went away, or was interrupted, before the receive
                }
                resp.fill((byte) 0);
                resp.set(ValueLayout.JAVA_LONG, 0, notif.get(ValueLayout.JAVA_LONG, 0));
                resp.set(ValueLayout.JAVA_INT, 16, -errno);
                if ((int) IOCTL.invokeExact(listener, NOTIF_SEND, resp) == 0) {
                    answered.incrementAndGet();
                }
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed.set(true);
        thread.join(5000);
        FileDescriptors.close(listenFd);
    }

}
