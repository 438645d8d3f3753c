package dev.jrun.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jrun.testing.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What create adds to the spec's process, as runc does (root required): socket activation, --preserve-fds, the keyring. */
class CreateExtrasIT extends CgroupVerbsFixture {

    private Command.Result runThroughShell(String shellSetup, String jrunArgs) throws Exception {
        String script = shellSetup + " exec '" + jrun.executable() + "' --root '" + stateRoot + "' " + jrunArgs;
        return Command.of("sh", "-c", script).run(Duration.ofSeconds(60));
    }

    @Test
    void socketActivationAndPreservedDescriptorsReachTheProcess() throws Exception {
        Path three = files.resolve("three.txt");
        Path four = files.resolve("four.txt");
        Path spec = Bundles.spec(bundle, "act", "echo $LISTEN_FDS $LISTEN_PID; echo on-3 >&3; echo on-4 >&4", "");
        // LISTEN_PID names the caller (the shell exec's jrun, so its pid): fd 3 is activation's, fd 4 --preserve-fds'.
        Command.Result run = runThroughShell("exec 3>'" + three + "' 4>'" + four + "'; LISTEN_FDS=1 LISTEN_PID=$$",
                "run --preserve-fds 1 " + spec);
        assertEquals(0, run.code(), run.transcript());
        assertEquals("1 1\n", run.out());
        assertEquals("on-3", Files.readString(three).strip());
        assertEquals("on-4", Files.readString(four).strip());

        // LISTEN_PID of another process: not for jrun, as systemd means it; nothing is passed, nothing is added.
        Command.Result other = runThroughShell("exec 3>'" + three + "'; LISTEN_FDS=1 LISTEN_PID=1",
                "run " + Bundles.spec(bundle, "act2", "echo [$LISTEN_FDS]; { echo x >&3; } 2>/dev/null && echo open || echo closed", ""));
        assertEquals(0, other.code(), other.transcript());
        assertEquals("[]\nclosed\n", other.out());
    }

    @Test
    void theInitJoinsASessionKeyringNamedAfterTheContainerUnlessAskedNotTo() throws Exception {
        Path spec = Bundles.spec(bundle, "keys", "grep -c '_ses.keys: ' /proc/keys || true", "");
        JrunProcess.Result own = jrun.run("run", spec.toString());
        assertEquals(0, own.code(), own.err());
        assertEquals("1", own.out().strip(), "its own session keyring _ses.keys");
        // Another id: the kernel collects the first container's keyring asynchronously, so it may still be listed.
        Path keptSpec = Bundles.spec(bundle, "kept", "grep -c '_ses.kept: ' /proc/keys || true", "");
        JrunProcess.Result kept = jrun.run("run", "--no-new-keyring", keptSpec.toString());
        assertEquals(0, kept.code(), kept.err());
        assertEquals("0", kept.out().strip(), "the caller's keyring, no _ses.kept");
    }
}
