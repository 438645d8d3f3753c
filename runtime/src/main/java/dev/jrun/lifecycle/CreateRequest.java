package dev.jrun.lifecycle;

import dev.jrun.plan.Step;
import java.nio.file.Path;

/**
 * What `create` (or `run`) was asked to do.
 *
 * @param specFile the spec: the bundle's config.json/config.yaml, or the file the user named
 * @param pidFile  where to write the init's pid, or null
 */
public record CreateRequest(String id, Path bundle, Path specFile, Path pidFile, boolean noPivot, Step.Clone.Mode mode) {}
