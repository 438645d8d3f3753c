package dev.jrun.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The container a verb acts on: its id, or the spec file it was created from (then --id, or the file's stem). */
final class ExistingContainer {
    @Parameters(index = "0", paramLabel = "TARGET", description = "Container id, or its spec file.")
    String target;

    @Option(names = "--id", description = "The id, when TARGET is a spec file.")
    String id;

    String id() {
        return ContainerTarget.idOf(target, id);
    }
}
