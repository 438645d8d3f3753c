package dev.jrun.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.server.Frame;
import dev.jrun.server.Server;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The names jrun-client and the Java server must agree on, written once in each language: read from the C source as
 * text and compared with the Java constants, so that renaming one side fails here rather than at a user's first call.
 */
class ClientAgreementTest {
    private static final Path CLIENT = Path.of(System.getProperty("jrun.repo", "..")).toAbsolutePath().normalize()
            .resolve("runtime/src/main/c/client/jrun-client.c");

    @Test
    void theServerTakesTheReadinessOptionTheClientPasses() throws IOException {
        assertEquals(ServerCommand.READY_FD_OPTION, define("READY_FD_OPTION"));
        assertTrue(Integer.parseInt(define("READY_FD")) > 2, "the readiness fd must not be one of stdin, stdout, stderr");
    }

    @Test
    void theSocketNameAndProtocolVersionAgree() throws IOException {
        assertEquals(Server.SOCKET, define("SOCK_NAME"));
        assertEquals(Server.START_LOCK, define("LOCK_NAME"));
        assertEquals(Integer.toString(Frame.VERSION), define("PROTOCOL_VERSION"));
    }

    @Test
    void theServerAcceptsTheVariablesTheClientSends() throws IOException {
        assertEquals(String.join(",", dev.jrun.server.Frame.FORWARDED_VARIABLES), define("FORWARDED_VARIABLES"));
    }

    /** A #define's value, a string's quotes removed. */
    private static String define(String name) throws IOException {
        Matcher m = Pattern.compile("(?m)^#define\\s+" + name + "\\s+(\"[^\"]*\"|\\S+)").matcher(Files.readString(CLIENT));
        assertTrue(m.find(), "no #define " + name + " in " + CLIENT);
        return m.group(1).replaceAll("^\"|\"$", "");
    }
}
