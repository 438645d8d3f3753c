package dev.jrun.server;

import java.util.List;

/**
 * One message between the jrun client and the server (docs/server.md "Frames"). The first three go from the
 * client to the server, the others back; {@link FrameCodec} turns them into bytes and back.
 */
public sealed interface Frame {

    /** The frame's type byte on the wire. */
    byte type();

    /** Protocol version this server speaks, sent in every REQUEST. */
    int VERSION = 1;

    /**
     * The variables a REQUEST's env may hold besides JRUN_* (the client's FORWARDED_VARIABLES): systemd's socket
     * activation, which create and run read as runc does, and XDG_RUNTIME_DIR, where a user other than root keeps its
     * state (docs/rootless.md).
     */
    java.util.List<String> FORWARDED_VARIABLES = java.util.List.of("LISTEN_FDS", "LISTEN_PID", "XDG_RUNTIME_DIR");

    /** The client's first frame; it carries the caller's fds 0, 1 and 2 (SCM_RIGHTS). */
    record Request(int version, String buildId, String cwd, List<String> argv, List<String> env) implements Frame {
        public Request {
            argv = List.copyOf(argv);
            env = List.copyOf(env);
        }

        @Override
        public byte type() {
            return 'Q';
        }
    }

    /** The client's answer to SPAWN: the helper's pid, or -errno when spawning failed. */
    record Spawned(long pid) implements Frame {
        @Override
        public byte type() {
            return 'P';
        }
    }

    /** The client's answer to WAIT and KILL: exit code, 128+N for signal N, or -1 while it still runs. */
    record HelperExited(int status) implements Frame {
        public static final int STILL_RUNNING = -1;

        @Override
        public byte type() {
            return 'X';
        }
    }

    /** Start path as the client's child with exactly env and the caller's stdio. */
    record Spawn(String path, List<String> env) implements Frame {
        public Spawn {
            env = List.copyOf(env);
        }

        @Override
        public byte type() {
            return 'S';
        }
    }

    /** Wait for the helper (-1: no limit, 0: just look), passing on the listed signals meanwhile. */
    record Wait(int timeoutMillis, List<Integer> signals) implements Frame {
        public static final int NO_LIMIT = -1;

        public Wait {
            signals = List.copyOf(signals);
        }

        @Override
        public byte type() {
            return 'W';
        }
    }

    /**
     * From now on hold the listed signals (block them) rather than let them act on the client, until a WAIT relays
     * them to the helper or the request ends; no answer. `run` sends it before it starts the container, so that a
     * signal arriving before its WAIT is relayed too.
     */
    record Relay(List<Integer> signals) implements Frame {
        public Relay {
            signals = List.copyOf(signals);
        }

        @Override
        public byte type() {
            return 'R';
        }
    }

    /** SIGKILL the helper and reap it. */
    record Kill() implements Frame {
        @Override
        public byte type() {
            return 'K';
        }
    }

    /** The command is over: exit with status. */
    record Exit(int status) implements Frame {
        @Override
        public byte type() {
            return 'E';
        }
    }

    /** This server belongs to another build: start a new one and send the request again. */
    record Stale() implements Frame {
        @Override
        public byte type() {
            return 'O';
        }
    }
}
