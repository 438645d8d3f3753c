package dev.jrun.state;

/**
 * How far `create` got, as recorded in state.json. This is a fact about jrun's own work, not the
 * container's status: {@link StatusProbe} derives the OCI {@link dev.jrun.status.Status} from it and the live system.
 */
public enum Phase {
    /** create has reserved the id and is building the container; its process is recorded as the creator. */
    CREATING,
    /** create finished: the init waited for `start` when create returned. */
    CREATED
}
