package dev.jrun.hook;

import java.util.List;

/**
 * A hook that did not succeed: it could not be started, exited with a status other than 0, was killed by a
 * signal, or ran past its timeout (and was killed). The message names it and carries the first lines of its output.
 */
public final class HookFailure extends Exception {
    private final HookKind kind;
    private final int index;

    public HookFailure(HookKind kind, int index, String path, String what, List<String> firstLines) {
        super(kind.name(index, path) + " " + what + (firstLines.isEmpty() ? "" : "; its output began: " + String.join(" | ", firstLines)));
        this.kind = kind;
        this.index = index;
    }

    public HookKind kind() {
        return kind;
    }

    public int index() {
        return index;
    }
}
