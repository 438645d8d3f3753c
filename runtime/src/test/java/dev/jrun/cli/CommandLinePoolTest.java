package dev.jrun.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** A model out of the pool parses its next command line as a new one would: nothing of the last one stays. */
class CommandLinePoolTest {
    private final CommandLinePool pool = new CommandLinePool(UnaryOperator.identity());

    /** Parses args with a model from the pool, and returns the model to it. */
    private CommandLine parsed(String... args) {
        try (CommandLinePool.Lease lease = pool.take(args)) {
            lease.commandLine().parseArgs(args);
            return lease.commandLine();
        }
    }

    private static <T> T verb(CommandLine jrun, String name) {
        return jrun.getSubcommands().get(name).getCommand();
    }

    @Test
    void aModelIsTakenAgainOnceReturnedAndNotWhileInUse() {
        String[] args = {"state", "a"};
        CommandLine once = parsed(args);
        assertSame(once, parsed("--root", "/elsewhere", "state", "b"));
        try (CommandLinePool.Lease first = pool.take(args); CommandLinePool.Lease second = pool.take(args)) {
            assertNotSame(first.commandLine(), second.commandLine());
        }
    }

    @Test
    void everyGlobalOptionReturnsToItsDefault() {
        CommandLine first = parsed("--debug", "--systemd-cgroup", "--no-server", "--root", "/r", "--log", "/l", "--log-format", "json",
                "kill", "a");
        CommandLine again = parsed("kill", "b");
        assertSame(first, again);
        JrunCommand global = again.getCommand();
        assertFalse(global.debug);
        assertFalse(global.systemdCgroup);
        assertFalse(global.noServer);
        assertNull(global.root, "no --root given: the caller decides the default (state.StateRoot)");
        assertNull(global.log);
        assertEquals(JrunCommand.LogFormat.text, global.logFormat);
    }

    @Test
    void everyOptionAndParameterOfAVerbReturnsToItsDefault() {
        CommandLine jrun = parsed("kill", "--all", "--id", "x", "./a.yaml", "KILL");
        parsed("kill", "b");
        KillCommand kill = verb(jrun, "kill");
        assertFalse(kill.all);
        assertEquals("TERM", kill.signal);
        assertEquals("b", kill.container.target);
        assertNull(kill.container.id);

        CommandLine validating = parsed("validate", "--format", "json", "-q", "a.yaml", "b.yaml");
        parsed("validate", "c.yaml");
        ValidateCommand validate = verb(validating, "validate");
        assertEquals(List.of(Path.of("c.yaml")), validate.files);
        assertEquals(ValidateCommand.Format.text, validate.format);
        assertFalse(validate.quiet);
    }

    @Test
    void aModelThatFailedToParseParsesTheNextCommandLineCleanly() {
        String[] wrong = {"--debug", "delete", "--force", "a", "b"};
        try (CommandLinePool.Lease lease = pool.take(wrong)) {
            try {
                lease.commandLine().parseArgs(wrong);
            } catch (CommandLine.ParameterException expected) {
                // two targets: a usage error, after --force and a were set
            }
        }
        CommandLine jrun = parsed("delete", "c");
        DeleteCommand delete = verb(jrun, "delete");
        assertFalse(delete.force);
        assertEquals("c", delete.container.target);
        assertFalse(((JrunCommand) jrun.getCommand()).debug);
    }
}
