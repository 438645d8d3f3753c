package dev.jrun.netlink;

import dev.jrun.sys.Errno;
/**
 * A network operation that failed, said in one line: what was tried, on what, the errno, what it
 * means here, and the kernel's own text (extended ack) when it gave one — e.g.
 * {@code create veth veth-abc: EEXIST (file exists): interface veth-abc already exists}.
 * errno is 0 when jrun refused the request itself, before asking the kernel.
 */
public final class NetlinkException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String operation;
    private final String object;
    private final int errno;
    private final String kernelMessage;
    private final String explanation;

    public NetlinkException(String operation, String object, int errno, String kernelMessage, String explanation) {
        super(format(operation, object, errno, kernelMessage, explanation));
        this.operation = operation;
        this.object = object;
        this.errno = errno;
        this.kernelMessage = kernelMessage == null ? "" : kernelMessage;
        this.explanation = explanation == null ? "" : explanation;
    }

    /** Refused by jrun before any system call: a name the kernel would refuse, a multicast MAC. */
    static NetlinkException refused(String operation, String object, String why) {
        return new NetlinkException(operation, object, 0, "", why);
    }

    /** The same failure, told better: used when a follow-up look finds out which of several causes it was. */
    NetlinkException withExplanation(String better) {
        return new NetlinkException(operation, object, errno, kernelMessage, better);
    }

    /** What was tried: "create veth", "add address", "attach". */
    public String operation() {
        return operation;
    }

    /** What it was tried on, as the message words it: "veth-abc", "10.88.0.1/24 to veth0". */
    public String object() {
        return object;
    }

    /** The kernel's errno; 0 when jrun refused before asking. */
    public int errno() {
        return errno;
    }

    /** The kernel's extended-ack text (NLMSGERR_ATTR_MSG); empty when it gave none. */
    public String kernelMessage() {
        return kernelMessage;
    }

    public String explanation() {
        return explanation;
    }

    private static String format(String operation, String object, int errno, String kernelMessage, String explanation) {
        var text = new StringBuilder(operation).append(' ').append(object).append(':');
        if (errno != 0) {
            text.append(' ').append(Errno.describe(errno));
        }
        boolean explained = explanation != null && !explanation.isEmpty();
        boolean kernelSaid = kernelMessage != null && !kernelMessage.isEmpty();
        if (explained) {
            text.append(errno != 0 ? ": " : " ").append(explanation);
            if (kernelSaid && !explanation.contains(kernelMessage)) {
                text.append(" (kernel: ").append(kernelMessage).append(')');
            }
        } else if (kernelSaid) {
            text.append(errno != 0 ? ": " : " ").append(kernelMessage);
        }
        return text.toString();
    }
}
