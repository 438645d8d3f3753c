package dev.jrun.cli;

import dev.jrun.spec.validation.SpecValidator;
import dev.jrun.spec.validation.ValidationReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(description = {
    "Check spec files (YAML or JSON) against jrun's JSON Schema and semantic checks.",
    "Every problem is listed, each with file:line:column, JSON pointer, what was expected and what was found."})
final class ValidateCommand implements Callable<Integer> {

    enum Format { text, json }

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Spec files, e.g. config.json or spec.yaml.")
    List<Path> files;

    @Option(names = "--format", defaultValue = "text", description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = {"-q", "--quiet"}, description = "Print only problems, not the line per valid file.")
    boolean quiet;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() {
        SpecValidator validator = new SpecValidator();
        List<ValidationReport> reports = new ArrayList<>();
        for (Path file : files) {
            reports.add(validator.validate(file));
        }
        var out = command.commandLine().getOut();
        if (format == Format.json) {
            out.println(ValidationJson.render(reports));
        } else {
            reports.forEach(report -> ValidationText.render(report, quiet, out));
        }
        out.flush();
        return exitCode(reports);
    }

    static int exitCode(List<ValidationReport> reports) {
        if (reports.stream().anyMatch(ValidationReport::unreadable)) {
            return ExitCodes.UNREADABLE_SPEC;
        }
        return reports.stream().allMatch(ValidationReport::isValid) ? ExitCodes.OK : ExitCodes.INVALID_SPEC;
    }
}
