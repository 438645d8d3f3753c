package dev.jrun.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.jrun.cgroup.ContainerCgroup;
import dev.jrun.cgroup.CgroupMount;
import dev.jrun.spec.model.Spec;
import dev.jrun.spec.validation.SpecValidator;
import dev.jrun.spec.validation.ValidationReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Specs that validate but are too big for jrun-init are refused by the planner, pointing at the spec part
 * responsible and naming the limit; before, they failed at spawn as "Broken pipe".
 */
class PlanLimitsTest {
    private static final int MAX_STRING = PlanFormat.Limit.MAX_STRING.value();

    @TempDir
    Path bundle;

    @Test
    void tooManyArgumentsPointAtProcessArgs() throws Exception {
        Path spec = spec(args(200_000), "", "");
        // The whole way, once: such a spec is valid; only the helper's limit stands in its way.
        ValidationReport report = new SpecValidator().validate(spec);
        assertTrue(report.isValid(), report.problems().toString());
        PlanException e = refused(spec);
        assertEquals("/process/args", e.pointer());
        assertTrue(e.getMessage().contains("200003 arguments") && e.getMessage().contains("MAX_ARGS"), e.getMessage());
        assertTrue(e.getMessage().startsWith("EXEC (run the container's process)"), e.getMessage());
    }

    @Test
    void aLongEnvironmentPointsAtProcessEnv() throws Exception {
        String env = IntStream.range(0, 5000).mapToObj(i -> "V" + i + "=x").collect(Collectors.joining(", ", "env: [", "]"));
        assertEquals("/process/env", refused(spec("[sh]", env, "")).pointer());
    }

    @Test
    void aHugeArgumentPointsAtItself() throws Exception {
        PlanException e = refused(spec("[sh, " + "x".repeat(MAX_STRING + 1) + "]", "", ""));
        assertEquals("/process/args/1", e.pointer());
        assertTrue(e.getMessage().contains((MAX_STRING + 1) + " bytes") && e.getMessage().contains("MAX_STRING"), e.getMessage());
    }

    @Test
    void aHugeEnvironmentVariablePointsAtItself() throws Exception {
        assertEquals("/process/env/1", refused(spec("[sh]", "env: [A=b, B=" + "x".repeat(MAX_STRING) + "]", "")).pointer());
    }

    @Test
    void stringsAreCountedInUtf8Bytes() throws Exception {
        // 600,000 characters, 1,200,000 bytes: over the limit although the string's length() is not.
        assertEquals("/process/args/1", refused(spec("[sh, " + "é".repeat(600_000) + "]", "", "")).pointer());
    }

    @Test
    void tooManyMountsPointAtMounts() throws Exception {
        String mounts = IntStream.range(0, 5000).mapToObj(i -> "  - {destination: /m" + i + ", type: tmpfs, source: tmpfs}")
                .collect(Collectors.joining("\n", "mounts:\n", "\n"));
        PlanException e = refused(spec("[sh]", "", mounts));
        assertEquals("/mounts", e.pointer());
        assertTrue(e.getMessage().contains("10000 of them for /mounts") && e.getMessage().contains("MAX_STEPS"), e.getMessage());
    }

    @Test
    void aHugeMountSourcePointsAtTheMount() throws Exception {
        String mounts = "mounts:\n  - {destination: /a, type: tmpfs, source: tmpfs}\n  - {destination: /b, type: tmpfs, source: tmpfs, options: [\"size="
                + "1".repeat(MAX_STRING) + "\"]}\n";
        assertEquals("/mounts/1", refused(spec("[sh]", "", mounts)).pointer());
    }

    @Test
    void tooManyGroupsPointAtAdditionalGids() throws Exception {
        String gids = IntStream.range(0, 5000).mapToObj(Integer::toString).collect(Collectors.joining(", ", "[", "]"));
        Path spec = spec("[sh]", "", "");
        Files.writeString(spec, Files.readString(spec).replace("user: {uid: 0, gid: 0}", "user: {uid: 0, gid: 0, additionalGids: " + gids + "}"));
        assertEquals("/process/user/additionalGids", refused(spec).pointer());
    }

    @Test
    void tooManySharedBindsPointAtMounts() throws Exception {
        Files.createDirectory(bundle.resolve("src"));
        String mounts = IntStream.range(0, 300).mapToObj(i -> "  - {destination: /s" + i + ", type: bind, source: src, options: [rbind, rshared]}")
                .collect(Collectors.joining("\n", "mounts:\n", "\n"));
        PlanException e = refused(spec("[sh]", "", mounts));
        assertEquals("/mounts", e.pointer());
        assertTrue(e.getMessage().contains("MAX_TREES"), e.getMessage());
    }

    @Test
    void aBigSpecWithinTheLimitsIsPlannedAndEncoded() throws Exception {
        String env = IntStream.range(0, 1000).mapToObj(i -> "V" + i + "=x").collect(Collectors.joining(", ", "env: [", "]"));
        Plan plan = CreatePlanner.plan(request(spec(args(3000), env, "")));
        Step.Exec exec = (Step.Exec) plan.steps().getLast().step();
        assertEquals(3001, exec.args().size());
        assertTrue(PlanEncoder.encode(plan).length > 4000 * 5);
    }

    @Test
    void theEncoderRefusesWhatThePlannerWouldHave() {
        Plan plan = new Plan(List.of(new PlannedStep(new Step.SetHostname("x".repeat(MAX_STRING + 1)), Stage.PROCESS, "test")));
        assertThrows(IllegalArgumentException.class, () -> PlanEncoder.encode(plan));
    }

    private static String args(int count) {
        return IntStream.range(0, count).mapToObj(i -> "x").collect(Collectors.joining(", ", "[sh, ", "]"));
    }

    private Path spec(String args, String env, String mounts) throws IOException {
        Files.createDirectories(bundle.resolve("rootfs"));
        return Files.writeString(bundle.resolve("big.yaml"), """
                ociVersion: 1.2.0
                root: {path: rootfs}
                process:
                  cwd: /
                  user: {uid: 0, gid: 0}
                  args: %s
                  %s
                %s
                linux: {namespaces: [{type: mount}]}
                """.formatted(args, env, mounts));
    }

    private PlanException refused(Path spec) throws IOException {
        return assertThrows(PlanException.class, () -> CreatePlanner.plan(request(spec)));
    }

    /** Bound without the validator, which takes seconds on specs this big (tooManyArgumentsPointAtProcessArgs validates one). */
    private static PlanRequest request(Path specFile) throws IOException {
        Spec spec = new ObjectMapper(new YAMLFactory()).disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .readValue(specFile.toFile(), Spec.class);
        return new PlanRequest(spec, specFile.getParent(), Path.of("/run/jrun/big/start.sock"), false, Step.Clone.Mode.DETACH, 0,
                List.of(new ContainerCgroup("unified", new CgroupMount.Unified(Path.of("/sys/fs/cgroup"), "/", false),
                        Path.of("/sys/fs/cgroup/jrun/big"))), true);
    }
}
