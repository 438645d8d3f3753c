package dev.jrun.cli;

import dev.jrun.call.Invocation;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.jrun.spec.template.DefaultSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(description = {
    "Write a starting spec, like `runc spec`: config.json (or config.yaml with --format yaml) in the bundle directory.",
    "It never overwrites an existing file."})
final class SpecCommand implements Callable<Integer> {

    enum Format { json, yaml }

    @Option(names = "--format", defaultValue = "json", description = "json or yaml (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--rootless", description = "A spec for an unprivileged user: a user namespace mapping root to you, no network namespace.")
    boolean rootless;

    @Option(names = {"-b", "--bundle"}, defaultValue = ".", description = "Directory to write into (default: the current directory).")
    Path bundle;

    @Option(names = {"-o", "--output"}, description = "Write to this file instead; '-' writes to standard output.")
    String output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() throws IOException {
        Invocation.Credentials caller = Invocation.current().credentials();
        ObjectNode spec = DefaultSpec.build(rootless, caller.uid(), caller.gid());
        String text = format == Format.yaml ? yaml().writeValueAsString(spec) : json().writeValueAsString(spec) + "\n";
        if ("-".equals(output)) {
            command.commandLine().getOut().print(text);
            command.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
        Path target = output != null ? Invocation.current().resolve(Path.of(output)) : bundle.resolve(format == Format.yaml ? "config.yaml" : "config.json");
        try {
            Files.writeString(target, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            command.commandLine().getErr().println("jrun: spec: " + target + " already exists; remove it first or pass --output");
            return ExitCodes.FAILED;
        } catch (IOException e) {
            command.commandLine().getErr().println("jrun: spec: cannot write " + target + ": " + e.getMessage());
            return ExitCodes.FAILED;
        }
        return ExitCodes.OK;
    }

    private static ObjectMapper json() {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    private static ObjectMapper yaml() {
        return new ObjectMapper(YAMLFactory.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
                .build());
    }
}
