package dev.jrun.hook;

import dev.jrun.spec.model.Hooks;
import java.util.List;

/** The six points of config.md "POSIX-platform Hooks", in the order the lifecycle reaches them (docs/hooks.md). */
public enum HookKind {
    /** Deprecated by the spec, still used (podman's hooks directory, older tools): runs just before createRuntime. */
    PRESTART("prestart"),
    CREATE_RUNTIME("createRuntime"),
    CREATE_CONTAINER("createContainer"),
    START_CONTAINER("startContainer"),
    POSTSTART("poststart"),
    POSTSTOP("poststop");

    private final String key;

    HookKind(String key) {
        this.key = key;
    }

    /** The key under /hooks in the spec. */
    public String key() {
        return key;
    }

    /** The hooks of this kind in the spec's hooks section (none when there is no section). */
    public List<Hooks.Hook> of(Hooks hooks) {
        if (hooks == null) {
            return List.of();
        }
        return switch (this) {
            case PRESTART -> hooks.prestart();
            case CREATE_RUNTIME -> hooks.createRuntime();
            case CREATE_CONTAINER -> hooks.createContainer();
            case START_CONTAINER -> hooks.startContainer();
            case POSTSTART -> hooks.poststart();
            case POSTSTOP -> hooks.poststop();
        };
    }

    /** How a failing hook is named in errors and warnings: kind, index and path, as the spec's pointer would find it. */
    public String name(int index, String path) {
        return key + " hook " + index + " (/hooks/" + key + "/" + index + ": " + path + ")";
    }
}
