package dev.jrun.plan;

/**
 * The state JSON that the hooks run by the helper read (runtime.md "State"), made by create and split where the pid
 * goes: the planner runs before the init exists, and only the helper learns its pid (NOTE_PID).
 *
 * @param creating what createContainer hooks read (status "creating")
 * @param created  what startContainer hooks read (status "created": the user's process is not running yet)
 */
public record HookStates(Split creating, Split created) {
    /** For plans whose spec has no hook in the container: nothing to read. */
    public static final HookStates NONE = new HookStates(new Split("{\"pid\":", "}"), new Split("{\"pid\":", "}"));

    /** The state's text before the pid's digits, and after them. */
    public record Split(String beforePid, String afterPid) {}
}
