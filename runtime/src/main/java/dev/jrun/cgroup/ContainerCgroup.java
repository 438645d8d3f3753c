package dev.jrun.cgroup;

import java.nio.file.Path;

/**
 * A container's cgroup in one hierarchy.
 *
 * @param hierarchy how logs name the hierarchy ({@link Membership#hierarchy()}: "memory", "name=systemd", "unified")
 * @param mount     the mount through which jrun reaches it
 * @param directory the cgroup's directory, at or below the mount point
 */
public record ContainerCgroup(String hierarchy, CgroupMount mount, Path directory) {}
