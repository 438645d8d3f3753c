package dev.jrun.server;

import dev.jrun.sys.FileDescriptors;
import dev.jrun.sys.NativeException;
import dev.jrun.sys.UnixSockets;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The server's part of the AOT training run (cli.AotTraining): a real server on a socket in dir serves each command
 * line once, sent the way the client sends it, so that the first request of every server (the one a caller waits
 * for after an idle exit) runs code the cache already holds: binding, accepting, the frames, the per-request
 * threads and the caller's stdio. The command lines must not spawn a helper (this client answers no SPAWN).
 */
public final class ServerTraining {
    private static final int READ_SIZE = 64 * 1024;

    private ServerTraining() {}

    public static void run(Path dir, Commands commands, List<List<String>> commandLines) throws Exception {
        Server server = Server.bind(dir, Duration.ofSeconds(60), commands);
        Thread serving = Thread.ofPlatform().name("jrun-training-server").start(server::serve);
        int devNull = FileDescriptors.openReadWrite(Path.of("/dev/null"));
        try {
            for (List<String> argv : commandLines) {
                request(dir.resolve(Server.SOCKET), argv, devNull);
            }
        } finally {
            server.stop("the training run is over");
            serving.join();
            FileDescriptors.close(devNull);
        }
    }

    /** One request as jrun-client makes it, /dev/null standing for the caller's stdio; returns at EXIT. */
    private static void request(Path socket, List<String> argv, int devNull) throws IOException, NativeException {
        int fd = UnixSockets.connect(socket);
        try {
            Frame request = new Frame.Request(Frame.VERSION, BuildId.ofThisJar(), "/", argv, List.of());
            UnixSockets.sendAll(fd, FrameCodec.encode(request), devNull, devNull, devNull);
            FrameDecoder decoder = new FrameDecoder();
            while (true) {
                Optional<Frame> frame = decoder.next();
                if (frame.isPresent()) {
                    if (frame.get() instanceof Frame.Exit) {
                        return;
                    }
                    throw new ProtocolException("the training client answers nothing but EXIT, and got " + frame.get());
                }
                Optional<UnixSockets.Received> received = UnixSockets.receive(fd, READ_SIZE, 0, false);
                if (received.isEmpty() || received.get().endOfStream()) {
                    throw new IOException("the training server closed the connection before EXIT");
                }
                decoder.append(received.get().data());
            }
        } finally {
            FileDescriptors.close(fd);
        }
    }
}
