package dev.jrun.cgroup;

import java.nio.file.Path;
import java.util.List;

/**
 * The cgroup directories jrun made for one container, as absolute paths in the order it made them (in each hierarchy
 * from the top down). What is kept in the container's state, so that delete removes these and nothing else.
 */
public record CreatedCgroups(List<Path> made) {
    public CreatedCgroups {
        made = List.copyOf(made);
    }
}
