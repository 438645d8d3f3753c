package dev.jrun.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.spec.model.Spec;
import dev.jrun.spec.validation.SpecValidator;
import dev.jrun.spec.validation.ValidationReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** process.terminal in the plan: runc's refusals, and where the console steps go. */
class TerminalPlannerTest {
    private static final String DEVPTS = "mounts: [{destination: /dev/pts, type: devpts, source: devpts, options: [newinstance, ptmxmode=0666]}]\n";
    private static final Path SOCKET = Path.of("/run/test/console.sock");

    @TempDir
    Path bundle;

    @Test
    void createWithATerminalNeedsAConsoleSocket() throws Exception {
        PlanException e = assertThrows(PlanException.class, () -> plan(spec("terminal: true", DEVPTS), Step.Clone.Mode.DETACH, Optional.empty()));
        assertEquals("/process/terminal", e.pointer());
        assertTrue(e.getMessage().contains("cannot allocate tty if runc will detach without setting console socket"), e.getMessage());
    }

    @Test
    void aConsoleSocketWithoutATerminalIsRefused() throws Exception {
        PlanException e = assertThrows(PlanException.class, () -> plan(spec("terminal: false", DEVPTS), Step.Clone.Mode.DETACH, Optional.of(SOCKET)));
        assertEquals("/process/terminal", e.pointer());
        assertTrue(e.getMessage().contains("cannot use console socket"), e.getMessage());
    }

    @Test
    void aForegroundRunTakesNoConsoleSocket() throws Exception {
        PlanException e = assertThrows(PlanException.class, () -> plan(spec("terminal: true", DEVPTS), Step.Clone.Mode.FOREGROUND, Optional.of(SOCKET)));
        assertTrue(e.getMessage().contains("--detach"), e.getMessage());
    }

    @Test
    void aTerminalNeedsTheContainersOwnDevpts() throws Exception {
        PlanException e = assertThrows(PlanException.class, () -> plan(spec("terminal: true", ""), Step.Clone.Mode.DETACH, Optional.of(SOCKET)));
        assertEquals("/mounts", e.pointer());
        assertTrue(e.getMessage().contains("devpts"), e.getMessage());
    }

    @Test
    void aWindowIsAtMost65535CharactersEachWay() throws Exception {
        PlanException e = assertThrows(PlanException.class,
                () -> plan(spec("terminal: true, consoleSize: {height: 24, width: 70000}", DEVPTS), Step.Clone.Mode.DETACH, Optional.of(SOCKET)));
        assertEquals("/process/consoleSize/width", e.pointer());
    }

    @Test
    void theSocketIsConnectedFirstAndThePtyMadeAfterThePivotBeforeTheUser() throws Exception {
        List<Step> steps = plan(spec("terminal: true, consoleSize: {height: 24, width: 80}", DEVPTS), Step.Clone.Mode.DETACH, Optional.of(SOCKET));
        assertEquals(new Step.ConsoleConnect(SOCKET.toString()), steps.getFirst());
        int pivot = indexOf(steps, Step.PivotRoot.class);
        int attach = indexOf(steps, Step.ConsoleAttach.class);
        assertTrue(pivot < attach && attach < indexOf(steps, Step.SetResUid.class) && attach < indexOf(steps, Step.Ready.class), steps.toString());
        assertEquals(new Step.ConsoleAttach(true, 24, 80, 1000), steps.get(attach));
    }

    @Test
    void runOnTheUsersTerminalMakesAPairForTheForegroundHelper() throws Exception {
        List<Step> steps = plan(spec("terminal: true", DEVPTS), Step.Clone.Mode.FOREGROUND, Optional.empty());
        assertInstanceOf(Step.ConsolePair.class, steps.getFirst());
        assertTrue(indexOf(steps, Step.ConsolePair.class) < indexOf(steps, Step.Clone.class));
        assertEquals(new Step.ConsoleAttach(true, 0, 0, 1000), steps.get(indexOf(steps, Step.ConsoleAttach.class)), "no consoleSize: the kernel's");
    }

    @Test
    void withoutATerminalThereAreNoConsoleSteps() throws Exception {
        List<Step> steps = plan(spec("terminal: false", DEVPTS), Step.Clone.Mode.FOREGROUND, Optional.empty());
        assertTrue(steps.stream().noneMatch(s -> s.op().name().startsWith("CONSOLE_")), steps.toString());
    }

    private static int indexOf(List<Step> steps, Class<? extends Step> type) {
        for (int i = 0; i < steps.size(); i++) {
            if (type.isInstance(steps.get(i))) {
                return i;
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in " + steps);
    }

    private Path spec(String terminal, String mounts) throws IOException {
        Files.createDirectories(bundle.resolve("rootfs"));
        return Files.writeString(bundle.resolve("t.yaml"), "ociVersion: 1.2.0\nroot: {path: rootfs}\n"
                + "process: {" + terminal + ", cwd: /, user: {uid: 1000, gid: 1000}, args: [sh]}\n" + mounts
                + "linux: {namespaces: [{type: mount}, {type: pid}]}\n");
    }

    private List<Step> plan(Path specFile, Step.Clone.Mode mode, Optional<Path> socket) throws Exception {
        ValidationReport report = new SpecValidator().validate(specFile);
        Spec spec = report.spec();
        if (spec == null) {
            throw new IOException("test spec does not validate: " + report.problems());
        }
        PlanRequest request = new PlanRequest(spec, bundle, Path.of("/run/jrun/t/start.sock"), false, mode, 0, List.of(), false, socket);
        return CreatePlanner.plan(request).steps().stream().map(PlannedStep::step).toList();
    }
}
