package dev.jrun.spec.model;

/** A uid or gid range: containerID..containerID+size-1 maps to hostID..hostID+size-1. Fields are uint32, held in long. */
public record IdMapping(long containerID, long hostID, long size) {}
