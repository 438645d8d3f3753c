package dev.jrun.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jrun.call.Invocation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A command line gets only the subcommands it needs, and picocli answers it exactly as with every subcommand. */
class CommandTreeTest {
    @TempDir
    static Path root;

    private static List<String> namesNeededBy(String... args) {
        return CommandTree.needed(args, CommandTree.root().getCommandSpec()).stream().map(CommandTree.Subcommand::name).toList();
    }

    private static List<String> every() {
        return CommandTree.SUBCOMMANDS.stream().map(CommandTree.Subcommand::name).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "state a", "--root /r state a", "--root=/r state a", "--debug --systemd-cgroup --no-server --root /r --log /l --log-format json state a",
        "--log=/l --log-format=text state --help", "state", "state a b c", "state --root /r"})
    void theVerbAfterPlainGlobalOptionsComesAlone(String line) {
        assertEquals(List.of("state"), namesNeededBy(line.split(" ")));
    }

    @ParameterizedTest
    @CsvSource({"list -q, list", "ps --format json a -ef, ps", "update -r - a, update", "server --dir /d --idle-timeout 5, server",
        "--root /r kill a 9, kill", "create --bundle b a, create"})
    void anyOtherVerbComesAloneToo(String line, String verb) {
        assertEquals(List.of(verb), namesNeededBy(line.split(" ")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"--version", "-V", "--debug --version"})
    void versionAloneNeedsNoSubcommand(String line) {
        assertEquals(List.of(), namesNeededBy(line.split(" ")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "--help", "-h", "help state", "--help state", "--version state a", "valdate x", "STATE a", "--root",
        "--root /r", "--root create state a", "--root ps state a", "--root --debug state a", "--root -- state a", "--debug=true state a",
        "--unknown state a", "-- state a", "-hV"})
    void anythingElseGetsEverySubcommand(String line) {
        assertEquals(every(), namesNeededBy(line.isEmpty() ? new String[0] : line.split(" ")));
    }

    static Stream<List<String>> commandLines() {
        List<String> lines = List.of("", "--help", "--version", "-V", "help", "help state", "help nosuch", "valdate x", "nosuch", "STATE x",
                "state", "state --help", "ps --help", "ps -q --root", "server --help", "ROOT state a b", "--root state x",
                "--root create state x", "--root --debug state x", "--root=ROOT --log-format xml state a", "--log-format=xml state a",
                "--unknown state a", "--debug=true state a", "ROOT state a --root", "ROOT -- state a", "-hV", "--version state x",
                "ROOT delete --forse a", "ROOT kill", "ROOT kill a 9 extra", "ROOT state nosuch", "ROOT ps", "ROOT ps nosuch -ef", "ROOT update --memory 12q a", "ROOT events --interval 5 a", "ROOT list -q", "--root",
                "--no-server --systemd-cgroup ROOT state nosuch", "features --bogus", "spec --bogus", "validate", "run", "create --help");
        return lines.stream().map(line -> {
            List<String> args = new ArrayList<>();
            for (String word : line.isEmpty() ? new String[0] : line.split(" ")) {
                if (word.equals("ROOT")) {
                    args.addAll(List.of("--root", root.toString()));
                } else {
                    args.add(word.replace("ROOT", root.toString()));
                }
            }
            return args;
        });
    }

    @ParameterizedTest
    @MethodSource("commandLines")
    void theSubcommandsNeededAnswerAsEverySubcommandDoes(List<String> args) {
        String[] argv = args.toArray(String[]::new);
        assertEquals(withEverySubcommand(argv), CliRun.of(argv));
    }

    private static CliRun withEverySubcommand(String[] args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        var outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        var errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        Invocation own = Invocation.ofThisProcess();
        Invocation invocation = new Invocation(own.cwd(), own.env(), outStream, errStream, own.helpers());
        int code = invocation.run(() -> {
            var cli = Main.configure(CommandTree.with(CommandTree.SUBCOMMANDS));
            cli.setOut(new PrintWriter(outStream, true));
            cli.setErr(new PrintWriter(errStream, true));
            return cli.execute(args);
        });
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
