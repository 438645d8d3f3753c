package dev.jrun.spec.model;

/** root: the container's root filesystem; a relative path is relative to the bundle. */
public record Root(String path, Boolean readonly) {
    public boolean isReadonly() {
        return Boolean.TRUE.equals(readonly);
    }
}
