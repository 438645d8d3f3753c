package dev.jrun.init;

import dev.jrun.plan.SyncPoint;

/** What jrun-init says over the sync socket (docs/init-protocol.md "Messages"). */
public sealed interface InitMessage {

    /** The cloned init's pid, in jrun's pid namespace. */
    record Pid(long pid) implements InitMessage {}

    /** The helper waits at this point for an acknowledgement. */
    record Sync(SyncPoint point) implements InitMessage {}

    /**
     * Setup is complete; the init waits for one acknowledgement ({@link InitConnection#proceed()}, sent once
     * the container is recorded), then closes the socket. End of file instead makes it exit.
     */
    record Ready() implements InitMessage {}

    /** Step {@code step} (-1: the plan itself) failed with errno. */
    record Failure(int step, int errno, String operation, String detail) implements InitMessage {}

    /** The socket closed without `ready`: the helper died or exited. */
    record Closed() implements InitMessage {}

    static InitMessage parse(String line) {
        if (line.startsWith("pid ")) {
            return new Pid(Long.parseLong(line.substring(4).trim()));
        }
        if (line.startsWith("sync ")) {
            return new Sync(SyncPoint.ofTag(line.substring(5).trim()));
        }
        if (line.equals("ready")) {
            return new Ready();
        }
        if (line.startsWith("error ")) {
            // error I ERRNO OPNAME: DETAIL
            String[] head = line.substring(6).split(" ", 3);
            String rest = head.length > 2 ? head[2] : "";
            int colon = rest.indexOf(':');
            String operation = colon < 0 ? rest : rest.substring(0, colon);
            String detail = colon < 0 ? "" : rest.substring(colon + 1).trim();
            return new Failure(Integer.parseInt(head[0]), Integer.parseInt(head[1]), operation, detail);
        }
        throw new IllegalArgumentException("jrun-init said something the protocol does not know: \"" + line + "\"");
    }
}
