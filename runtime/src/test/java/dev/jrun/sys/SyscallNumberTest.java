package dev.jrun.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** SyscallNumber's two tables against the kernel's headers, where this machine has them installed. */
class SyscallNumberTest {
    private static final Path X86_64 = Path.of("/usr/include/x86_64-linux-gnu/asm/unistd_64.h");
    /** arm64's table is the generic one (arch/arm64/include/uapi/asm/unistd.h includes it). */
    private static final Path GENERIC = Path.of("/usr/include/asm-generic/unistd.h");
    private static final Pattern DEFINE = Pattern.compile("(?m)^#define\\s+__NR_(\\w+)\\s+(\\d+)\\s*$");

    @Test
    void x86_64NumbersAreTheKernelHeaders() throws IOException {
        assertAgree(X86_64, SyscallNumber::x86_64);
    }

    @Test
    void aarch64NumbersAreTheGenericKernelHeader() throws IOException {
        assertAgree(GENERIC, SyscallNumber::aarch64);
    }

    /** Every call has a number of its own on each architecture (a copy-and-paste slip would give two calls one). */
    @Test
    void eachCallHasADistinctNumberOnBothArchitectures() {
        Set<Integer> x86 = new HashSet<>();
        Set<Integer> arm = new HashSet<>();
        for (SyscallNumber call : SyscallNumber.values()) {
            assertTrue(call.x86_64() >= 0 && x86.add(call.x86_64()), call + ": x86_64 number " + call.x86_64());
            assertTrue(call.aarch64() >= 0 && arm.add(call.aarch64()), call + ": aarch64 number " + call.aarch64());
        }
    }

    @Test
    void thisMachinesNumberIsOneOfTheTwo() {
        String arch = System.getProperty("os.arch");
        assumeTrue(arch.equals("amd64") || arch.equals("aarch64"), "os.arch " + arch);
        for (SyscallNumber call : SyscallNumber.values()) {
            assertEquals(arch.equals("amd64") ? call.x86_64() : call.aarch64(), call.number(), call.toString());
        }
    }

    /** One line per disagreement; a name the header lacks is one too (aarch64 has no open, poll, send, …). */
    private static void assertAgree(Path header, ToIntFunction<SyscallNumber> number) throws IOException {
        assumeTrue(Files.isRegularFile(header), header + " is not installed here");
        Map<String, Integer> defined = new HashMap<>();
        Matcher define = DEFINE.matcher(Files.readString(header));
        while (define.find()) {
            defined.put(define.group(1), Integer.parseInt(define.group(2)));
        }
        List<String> problems = new ArrayList<>();
        for (SyscallNumber call : SyscallNumber.values()) {
            Integer theirs = defined.get(call.kernelName());
            if (theirs == null) {
                problems.add(call + ": no __NR_" + call.kernelName() + " in " + header);
            } else if (theirs != number.applyAsInt(call)) {
                problems.add(call + ": " + number.applyAsInt(call) + ", but " + header + " says " + theirs);
            }
        }
        assertEquals(List.of(), problems);
    }
}
