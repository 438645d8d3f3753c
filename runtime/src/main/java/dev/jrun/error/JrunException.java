package dev.jrun.error;

import dev.jrun.status.Status;
import dev.jrun.status.Verb;

/**
 * Everything that makes a jrun operation fail in a way the user must hear about. Each kind
 * carries a message that says what, where and what to do; the CLI prints it as one line and
 * exits with {@link #exitCode()}.
 */
public abstract sealed class JrunException extends Exception
        permits JrunException.NotFound, JrunException.AlreadyExists, JrunException.IncorrectStatus,
                JrunException.InvalidInput, JrunException.InvalidSpec, JrunException.StageFailed, JrunException.SystemFailure {
    private static final long serialVersionUID = 1L;

    JrunException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Every failed operation exits 1 (docs/cli.md); invalid specs are reported by the validator with 3. */
    public int exitCode() {
        return 1;
    }

    /** No container of that id. */
    public static final class NotFound extends JrunException {
        private static final long serialVersionUID = 1L;

        public NotFound(String id) {
            super("container \"" + id + "\" does not exist (see `jrun list`)", null);
        }
    }

    /** create: the id is taken. */
    public static final class AlreadyExists extends JrunException {
        private static final long serialVersionUID = 1L;

        public AlreadyExists(String id) {
            super("container \"" + id + "\" already exists; delete it first or choose another id", null);
        }
    }

    /**
     * The operation is not allowed in the container's current status (runtime.md lifecycle). A stopped container's
     * message carries runc's phrase "container not running", which containerd's shim matches on (it then takes a
     * kill of an exited task as done).
     */
    public static final class IncorrectStatus extends JrunException {
        private static final long serialVersionUID = 1L;
        private final Verb verb;
        private final Status status;

        public IncorrectStatus(String id, Verb verb, Status status) {
            super("cannot " + verb.label() + " container \"" + id + "\": it is " + status.label() + "; " + verb.label()
                    + " needs it " + verb.needs() + (status == Status.STOPPED ? " (container not running)" : ""), null);
            this.verb = verb;
            this.status = status;
        }

        public Verb verb() {
            return verb;
        }

        public Status status() {
            return status;
        }
    }

    /** A command-line value that is wrong: a bad id, an unknown signal, a missing bundle. */
    public static final class InvalidInput extends JrunException {
        private static final long serialVersionUID = 1L;

        public InvalidInput(String message) {
            super(message, null);
        }
    }

    /** The spec failed validation; the message lists every problem. Exits 3 like `jrun validate`. */
    public static final class InvalidSpec extends JrunException {
        private static final long serialVersionUID = 1L;
        private final int exitCode;

        public InvalidSpec(String renderedProblems, boolean unreadable) {
            super("the spec is " + (unreadable ? "unreadable" : "invalid") + ":\n" + renderedProblems, null);
            this.exitCode = unreadable ? 4 : 3;
        }

        @Override
        public int exitCode() {
            return exitCode;
        }
    }

    /** A named stage of create (or another operation) failed; the message names the stage and the cause. */
    public static final class StageFailed extends JrunException {
        private static final long serialVersionUID = 1L;

        public StageFailed(String stage, String detail, Throwable cause) {
            super(stage + ": " + detail, cause);
        }
    }

    /** The system refused something jrun needed (a file it could not write, a signal it could not send). */
    public static final class SystemFailure extends JrunException {
        private static final long serialVersionUID = 1L;

        public SystemFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
